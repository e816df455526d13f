using System.Globalization;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace ScimSync.IntegrationTests.Admin;

/// <summary><c>scimsync run</c> with a target slow enough (a latency fault) that a cycle lasts several seconds.</summary>
public sealed class StatusPageBrowserFixture : AdminRunFixture
{
    protected override TimeSpan TargetLatency => TimeSpan.FromMilliseconds(50);

    protected override int MaxConcurrency => 4;
}

[CollectionDefinition(Name)]
public sealed class StatusPageBrowserCollection : ICollectionFixture<StatusPageBrowserFixture>
{
    public const string Name = "StatusPageBrowser";
}

[Collection(StatusPageBrowserCollection.Name)]
public sealed class StatusPageBrowserTests(StatusPageBrowserFixture fixture, ITestOutputHelper output)
{
    private const string ScriptName = "<script>window.__injected = 1</script> Mallory";
    private static readonly TimeSpan CycleWait = TimeSpan.FromSeconds(150);

    [BrowserFact]
    public async Task The_page_follows_a_running_cycle_held_deletions_and_a_quarantine()
    {
        var screenshots = TestResultsFolder.For("screenshots");
        var profile = Directory.CreateTempSubdirectory("scimsync-chromium-");
        using var driver = HeadlessChromium.Start(profile);
        try
        {
            // Signing in: the page answers 401 with a form for the admin key.
            driver.Navigate().GoToUrl(fixture.PageAddress);
            Save(driver, screenshots, "01-sign-in");
            driver.FindElement(By.Id("key")).SendKeys(AdminRunFixture.AdminKey);
            driver.FindElement(By.CssSelector("button[type=submit]")).Click();
            Assert.Equal("ScimSync status", driver.FindElement(By.TagName("h1")).Text);

            // The first cycle provisions the demo tenant through the slowed target: the bar moves.
            var samples = await ProgressWhileRunningAsync(driver, screenshots);
            output.WriteLine($"Progress seen: {string.Join(", ", samples.Select(s => $"{s.Value}/{s.Max}"))}");
            Assert.True(samples.Count >= 2 && samples[0].Value < samples[^1].Value && samples[0].Value < samples[0].Max,
                $"The progress bar did not move while the cycle ran: {string.Join(", ", samples.Select(s => $"{s.Value}/{s.Max}"))}");
            await fixture.WaitForStatusAsync(AdminRunFixture.CycleFinished, CycleWait, "the first cycle to finish");

            // Five users leave the directory's good graces (one renamed to markup): more than the threshold of 3, so held.
            var leavers = fixture.Atlassian.State.LiveUsers.Where(user => user.Active && user.ExternalId is not null).Take(5).ToList();
            fixture.Graph.Tenant.UpdateUser(leavers[0].ExternalId!, "displayName", ScriptName);
            foreach (var user in leavers)
            {
                fixture.Graph.Tenant.DisableUser(user.ExternalId!);
            }

            await fixture.WaitForStatusAsync(status => status.GetProperty("status").GetString() == "DeletionsHeld", CycleWait, "the deletion guard to hold the deprovisions");
            driver.Navigate().Refresh();
            Assert.Equal("Deletions held", driver.FindElement(By.CssSelector("[data-status]")).Text);
            var cells = driver.FindElements(By.CssSelector("td")).Select(cell => cell.Text).ToList();
            Assert.Contains(cells, text => text.StartsWith(ScriptName, StringComparison.Ordinal));
            Assert.Equal("undefined", driver.ExecuteScript("return typeof window.__injected;"));
            Save(driver, screenshots, "03-held-deletions");

            driver.FindElement(By.CssSelector("button[data-action='allow-deletes']")).Click();
            Assert.Equal($"5 held deprovision(s) of job {AdminRunFixture.JobId} were allowed and queued.", driver.FindElement(By.CssSelector(".notice")).Text);
            Save(driver, screenshots, "04-deletes-allowed");
            await EventuallyAsync(
                () => leavers.All(user => fixture.Atlassian.State.FindUser(user.Id) is { Active: false }),
                TimeSpan.FromSeconds(60), "the five users to be deactivated in the target");

            // Phone width: one column, nothing wider than the screen.
            driver.Manage().Window.Size = new System.Drawing.Size(390, 844);
            driver.Navigate().Refresh();
            Assert.True(driver.ExecuteScript("return document.documentElement.scrollWidth <= window.innerWidth;") is true,
                "The page is wider than a phone's screen.");
            Save(driver, screenshots, "05-phone");
            driver.Manage().Window.Size = new System.Drawing.Size(1280, 1400);

            // The token goes wrong (the settings file is edited under the running process); the next change is refused.
            await fixture.WriteSettingsAsync("a-token-the-target-does-not-know");
            await Task.Delay(TimeSpan.FromSeconds(2));
            var stayer = fixture.Atlassian.State.LiveUsers.First(user => user.Active && user.ExternalId is not null);
            fixture.Graph.Tenant.UpdateUser(stayer.ExternalId!, "jobTitle", "Chief Tester");
            await fixture.WaitForStatusAsync(status => status.GetProperty("status").GetString() == "Quarantined", CycleWait, "the job to be quarantined");
            driver.Navigate().Refresh();
            Assert.Equal("Quarantined", driver.FindElement(By.CssSelector("[data-status]")).Text);
            var reason = driver.FindElement(By.CssSelector("[data-quarantine]")).Text;
            output.WriteLine("Quarantine reason on the page: " + reason);
            Assert.Contains("Why it is quarantined:", reason, StringComparison.Ordinal);
            Assert.Contains("Next attempt", reason, StringComparison.Ordinal);
            Assert.Contains("AtlassianToken", reason, StringComparison.Ordinal);
            Save(driver, screenshots, "06-quarantined");
        }
        catch
        {
            Save(driver, screenshots, "failure");
            output.WriteLine("scimsync run printed:\n" + fixture.Output);
            throw;
        }
        finally
        {
            driver.Quit();
            profile.Delete(recursive: true);
        }
    }

    private async Task<List<(int Value, int Max)>> ProgressWhileRunningAsync(OpenQA.Selenium.Chrome.ChromeDriver driver, DirectoryInfo screenshots)
    {
        var samples = new List<(int Value, int Max)>();
        var deadline = DateTimeOffset.UtcNow + CycleWait;
        var saved = false;
        while (DateTimeOffset.UtcNow < deadline)
        {
            driver.Navigate().Refresh();
            if (driver.FindElements(By.CssSelector("progress[data-progress]")) is [var bar, ..])
            {
                var sample = (Value: Number(bar.GetDomAttribute("value")), Max: Number(bar.GetDomAttribute("max")));
                if (samples.Count == 0 || samples[^1] != sample)
                {
                    samples.Add(sample);
                }

                if (!saved && sample.Value > 0 && sample.Value < sample.Max)
                {
                    Save(driver, screenshots, "02-cycle-running");
                    saved = true;
                }

                if (sample.Value >= sample.Max || (samples.Count >= 3 && samples[0].Value < sample.Value))
                {
                    return samples;
                }
            }

            await Task.Delay(700);
        }

        return samples;
    }

    private void Save(OpenQA.Selenium.Chrome.ChromeDriver driver, DirectoryInfo folder, string name)
    {
        try
        {
            var path = HeadlessChromium.Screenshot(driver, folder, name);
            output.WriteLine("Screenshot: " + path);
            Console.WriteLine("Screenshot: " + path);
        }
        catch (WebDriverException failure)
        {
            output.WriteLine($"No screenshot {name}: {failure.Message}");
        }
    }

    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds} s for {what}.");
            }

            await Task.Delay(250);
        }
    }

    private static int Number(string? text) => int.Parse(text ?? "0", CultureInfo.InvariantCulture);
}
