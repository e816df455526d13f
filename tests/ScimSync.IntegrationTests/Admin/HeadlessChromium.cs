using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace ScimSync.IntegrationTests.Admin;

/// <summary>
/// The Debian <c>chromium</c> and <c>chromedriver</c> (installed by test.sh), started headless with a fresh profile
/// and nothing that reaches out on its own (no sync, no component updates, no background networking).
/// </summary>
public static class HeadlessChromium
{
    public const string BrowserPath = "/usr/bin/chromium";

    public const string DriverPath = "/usr/bin/chromedriver";

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? Missing =>
        File.Exists(BrowserPath) && File.Exists(DriverPath)
            ? null
            : $"{BrowserPath} or {DriverPath} is missing: install the Debian packages chromium and chromium-driver (test.sh does, as root).";

    public static ChromeDriver Start(DirectoryInfo profile, int width = 1280, int height = 1400)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile.FullName, $"--window-size={width},{height}");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Saves what the browser shows as a PNG and returns its path.</summary>
    public static string Screenshot(IWebDriver driver, DirectoryInfo folder, string name)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder.Create();
        var path = Path.Combine(folder.FullName, name + ".png");
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(path);
        return path;
    }
}

/// <summary>A test that drives the browser; skipped, with the reason, where chromium is not installed.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (HeadlessChromium.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}
