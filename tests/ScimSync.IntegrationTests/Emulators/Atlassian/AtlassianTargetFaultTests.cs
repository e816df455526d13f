using System.Net;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Faults;

namespace ScimSync.IntegrationTests.Emulators.Atlassian;

/// <summary>The target faults a drift scan has to find, as a client sees them.</summary>
public sealed class AtlassianTargetFaultTests
{
    [Fact]
    public async Task A_create_the_emulator_loses_is_answered_201_and_then_404()
    {
        await using var emulator = await AtlassianScimEmulator.StartAsync();
        using var client = emulator.CreateClient();
        emulator.TargetFaults.LoseNextCreates(1);

        var lost = await client.CreateUserAsync("ann@example.com");
        var kept = await client.CreateUserAsync("bob@example.com");

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"Users/{lost.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"Users/{kept.Id()}")).StatusCode);
        var list = await (await client.GetAsync("Users")).ReadObjectAsync();
        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_dropped_attribute_is_in_the_answer_and_not_in_the_stored_user()
    {
        await using var emulator = await AtlassianScimEmulator.StartAsync();
        using var client = emulator.CreateClient();
        var user = await client.CreateUserAsync("ann@example.com");
        emulator.TargetFaults.DropAttributeNext("title");

        using var patched = await client.PatchAsync($"Users/{user.Id()}", """[{"op":"replace","path":"title","value":"Lead"}]""");
        using var again = await client.PatchAsync($"Users/{user.Id()}", """[{"op":"replace","path":"nickName","value":"Annie"}]""");

        Assert.Equal("Lead", (await patched.ReadObjectAsync()).Text("title"));
        Assert.Null(emulator.State.FindUser(user.Id())!.Attribute("title"));
        Assert.Equal("Annie", emulator.State.FindUser(user.Id())!.Attribute("nickName"));
    }

    [Fact]
    public async Task Lists_can_ignore_startIndex_and_misreport_totalResults()
    {
        await using var emulator = await AtlassianScimEmulator.StartAsync();
        using var client = emulator.CreateClient();
        var first = await client.CreateUserAsync("ann@example.com");
        await client.CreateUserAsync("bob@example.com");
        emulator.TargetFaults.IgnoresStartIndex = true;
        emulator.TargetFaults.TotalResultsSkew = 5;

        var page = await (await client.GetAsync("Users?startIndex=2&count=1")).ReadObjectAsync();

        Assert.Equal(2, page["startIndex"]!.GetValue<int>());
        Assert.Equal(7, page["totalResults"]!.GetValue<int>());
        Assert.Equal(first.Id(), page["Resources"]![0]!.Text("id"));
    }

    [Fact]
    public async Task A_write_ignored_with_no_content_changes_nothing()
    {
        await using var emulator = await AtlassianScimEmulator.StartAsync();
        using var client = emulator.CreateClient();
        var user = await client.CreateUserAsync("ann@example.com");
        var group = await client.CreateGroupAsync("Sales");
        emulator.Faults.IgnoreNextWithNoContent(1, FaultScope.Parse("PATCH /Groups/{id}"));

        using var response = await client.PatchAsync($"Groups/{group.Id()}", $$"""[{"op":"add","path":"members","value":[{"value":"{{user.Id()}}"}]}]""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(emulator.State.FindGroup(group.Id())!.Members);
        Assert.Equal(1, emulator.Counters.Count(RequestOutcome.Ignored));
    }
}
