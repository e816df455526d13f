using System.Globalization;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace ScimSync.IntegrationTests.Admin;

/// <summary><c>scimsync run</c> with a target slow enough (a latency fault) that a cycle lasts several seconds.</summary>
public sealed class StatusPageBrowserFixture : AdminRunFixture
{
    protected override TimeSpan TargetLatency => TimeSpan.FromMilliseconds(100);

    protected override int MaxConcurrency => 2;
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

            await fixture.WaitForStatusAsync(AdminRunFixture.CycleFinished, CycleWait, "the first cycle to finish");

            // Paused from the page while every provisioned user gets a new job title in the directory; resumed, the
            // next cycle carries the changes through the slowed target, and the bar moves.
            Click(driver, "pause");
            ExpectNotice(driver, $"Job {AdminRunFixture.JobId} is paused.");
            foreach (var user in fixture.Atlassian.State.LiveUsers.Where(user => user.ExternalId is not null))
            {
                fixture.Graph.Tenant.UpdateUser(user.ExternalId!, "jobTitle", "Reorganised");
            }

            Click(driver, "resume");
            ExpectNotice(driver, $"Job {AdminRunFixture.JobId} is resumed.");
            var samples = await ProgressWhileRunningAsync(driver, screenshots);
            output.WriteLine($"Progress seen: {string.Join(", ", samples.Select(s => $"{s.Value}/{s.Max}"))}");
            Assert.True(samples.Count >= 2 && samples[0].Value < samples[^1].Value,
                $"The progress bar did not move while the cycle ran: {string.Join(", ", samples.Select(s => $"{s.Value}/{s.Max}"))}");
            await fixture.WaitForStatusAsync(AdminRunFixture.CycleFinished, CycleWait, "the cycle to finish");

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

            Click(driver, "allow-deletes");
            ExpectNotice(driver, $"5 held deprovision(s) of job {AdminRunFixture.JobId} were allowed and queued.");
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

    // Samples the bar of the next cycle with work left, from the first sight of it until it has moved or finished.
    private async Task<List<(int Value, int Max)>> ProgressWhileRunningAsync(OpenQA.Selenium.Chrome.ChromeDriver driver, DirectoryInfo screenshots)
    {
        var samples = new List<(int Value, int Max)>();
        var deadline = DateTimeOffset.UtcNow + CycleWait;
        while (DateTimeOffset.UtcNow < deadline)
        {
            driver.Navigate().Refresh();
            (int Value, int Max) sample;
            try
            {
                var bars = driver.FindElements(By.CssSelector("progress[data-progress]"));
                sample = bars is [var bar, ..] ? (Number(bar.GetDomAttribute("value")), Number(bar.GetDomAttribute("max"))) : (0, 0);
            }
            catch (WebDriverException replaced) when (WasReplaced(replaced))
            {
                continue;
            }

            if (sample.Max > 0 && sample.Value < sample.Max)
            {
                if (samples.Count == 0)
                {
                    Save(driver, screenshots, "02a-cycle-started");
                }

                if (sample.Value > 0 && samples.All(seen => seen.Value == 0))
                {
                    Save(driver, screenshots, "02b-cycle-progress");
                }

                if (samples.Count == 0 || samples[^1] != sample)
                {
                    samples.Add(sample);
                }

                if (samples.Count >= 3)
                {
                    return samples;
                }
            }
            else if (samples.Count > 0)
            {
                samples.Add(sample);
                return samples;
            }

            await Task.Delay(500);
        }

        return samples;
    }

    // A page that reloads itself while it is read: Chromium reports an element of the page before as stale or, in the
    // middle of a command, as a node that no longer belongs to the document.
    private static bool WasReplaced(WebDriverException failure) =>
        failure is StaleElementReferenceException || failure.Message.Contains("does not belong to the document", StringComparison.Ordinal);

    // The notice the page shows after a button, once the browser has followed the redirect to it.
    private static void ExpectNotice(OpenQA.Selenium.Chrome.ChromeDriver driver, string expected)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        var seen = "no notice";
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                if (driver.FindElements(By.CssSelector(".notice")) is [var notice, ..])
                {
                    seen = notice.Text;
                    if (seen == expected)
                    {
                        return;
                    }
                }
            }
            catch (WebDriverException replaced) when (WasReplaced(replaced))
            {
                // The page was replaced while it was read: read the new one.
            }

            Thread.Sleep(200);
        }

        Assert.Equal(expected, seen);
    }

    // Buttons may sit in the collapsed Actions panel: open it first, as a person would.
    private static void Click(OpenQA.Selenium.Chrome.ChromeDriver driver, string action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var button = driver.FindElement(By.CssSelector($"button[data-action='{action}']"));
                if (!button.Displayed)
                {
                    driver.FindElement(By.CssSelector("details > summary")).Click();
                }

                button.Click();
                return;
            }
            catch (WebDriverException replaced) when (attempt < 5 && WasReplaced(replaced))
            {
                // The page reloaded itself (a cycle runs) between finding the button and pressing it.
            }
        }
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
