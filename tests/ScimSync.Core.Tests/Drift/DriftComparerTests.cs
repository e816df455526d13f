using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Drift;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Tests.Drift;

public sealed class DriftComparerTests
{
    private static readonly JobId Job = new("job");

    [Fact]
    public void A_managed_object_the_target_answered_404_for_is_missing_and_repairable()
    {
        var state = User("u1", "t1", ("userName", "ann@contoso.com"));

        var findings = DriftComparer.CompareObjects([state], Inventory(ObjectKind.User, missing: ["t1"]));

        var finding = Assert.Single(findings);
        Assert.Equal(DriftKind.Missing, finding.Kind);
        Assert.True(finding.Repairable);
    }

    [Fact]
    public void A_deactivated_object_that_is_gone_is_reported_and_not_restored()
    {
        var state = User("u1", "t1", ("active", false)) with { Status = ObjectStatus.Disabled };

        var finding = Assert.Single(DriftComparer.CompareObjects([state], Inventory(ObjectKind.User, missing: ["t1"])));

        Assert.False(finding.Repairable);
    }

    [Fact]
    public void Active_and_other_attributes_are_findings_of_their_own_with_the_target_values()
    {
        var state = User("u1", "t1", ("userName", "ann@contoso.com"), ("active", true), ("title", "Lead"));
        var target = Resource(ObjectKind.User, "t1", """{"userName":"ann@contoso.com","active":false,"title":"Intern"}""");

        var findings = DriftComparer.CompareObjects([state], Inventory(ObjectKind.User, resources: [target]));

        Assert.Equal("false", Assert.Single(findings, f => f.Kind == DriftKind.Deactivated).Observed["active"]!.Value.GetRawText());
        var attributes = Assert.Single(findings, f => f.Kind == DriftKind.AttributesDiffer);
        Assert.Equal(["title"], attributes.Paths);
        Assert.Equal("Intern", attributes.Observed["title"]!.Value.GetString());
    }

    [Fact]
    public void An_object_with_a_change_in_flight_is_not_compared_and_a_deactivated_one_only_for_active()
    {
        var pending = User("u1", "t1", ("title", "Lead")) with { Pending = new PendingChange(WorkOperation.Upsert, "c", DateTimeOffset.UnixEpoch) };
        var disabled = User("u2", "t2", ("title", "Lead"), ("active", false)) with { Status = ObjectStatus.Disabled };
        var inventory = Inventory(ObjectKind.User, resources:
        [
            Resource(ObjectKind.User, "t1", """{"title":"Other"}"""),
            Resource(ObjectKind.User, "t2", """{"title":"Other","active":true}"""),
        ]);

        var finding = Assert.Single(DriftComparer.CompareObjects([pending, disabled], inventory));

        Assert.Equal(DriftKind.Reactivated, finding.Kind);
        Assert.Equal("u2", finding.SourceId?.Value);
    }

    [Fact]
    public void Objects_the_job_never_created_or_adopted_are_foreign_only_when_the_whole_list_was_read()
    {
        var foreign = Resource(ObjectKind.User, "x1", """{"userName":"outsider@contoso.com"}""");
        var adoptedElsewhere = User("u1", "t1") with { CreatedOrAdopted = false };

        var listed = DriftComparer.CompareObjects([adoptedElsewhere], Inventory(ObjectKind.User, resources: [foreign, Resource(ObjectKind.User, "t1", "{}")]));
        var byId = DriftComparer.CompareObjects([adoptedElsewhere], Inventory(ObjectKind.User, resources: [foreign], listed: false));

        var finding = Assert.Single(listed);
        Assert.Equal(DriftKind.ForeignObject, finding.Kind);
        Assert.False(finding.Repairable);
        Assert.Equal("outsider@contoso.com", finding.DisplayName);
        Assert.Empty(byId);
    }

    [Fact]
    public void Members_applied_and_gone_are_missing_removed_and_back_are_extra_and_never_managed_are_foreign()
    {
        var group = Group("g1", "tg1");
        var targets = new Dictionary<SourceId, TargetId> { [new("a")] = new("ta"), [new("b")] = new("tb"), [new("c")] = new("tc"), [new("d")] = new("td") };
        MembershipEdge[] edges =
        [
            Edge("a", desired: true, applied: true),
            Edge("b", desired: true, applied: true),
            Edge("c", desired: false, applied: false),
            Edge("d", desired: true, applied: false),
        ];
        var resource = Resource(ObjectKind.Group, "tg1", """{"displayName":"Sales","members":[{"value":"ta"},{"value":"tc"},{"value":"td"},{"value":"stranger"}]}""");

        var findings = DriftComparer.CompareMembers(group, resource, edges, targets);

        Assert.Equal(["b"], Assert.Single(findings, f => f.Kind == DriftKind.MembersMissing).Members.Select(m => m.Value));
        Assert.Equal(["c"], Assert.Single(findings, f => f.Kind == DriftKind.MembersExtra).Members.Select(m => m.Value));
        var foreign = Assert.Single(findings, f => f.Kind == DriftKind.ForeignMembers);
        Assert.Equal(["stranger"], foreign.ForeignMemberIds.Select(m => m.Value));
        Assert.False(foreign.Repairable);
    }

    private static ObjectState User(string source, string target, params (string Path, object Value)[] applied) =>
        new(Job, ObjectKind.User, new SourceId(source))
        {
            TargetId = new TargetId(target),
            CreatedOrAdopted = true,
            LastApplied = ScimAttributes.From(applied.Select(pair => KeyValuePair.Create(pair.Path, JsonSerializer.SerializeToElement(pair.Value)))),
        };

    private static ObjectState Group(string source, string target) =>
        new(Job, ObjectKind.Group, new SourceId(source)) { TargetId = new TargetId(target), CreatedOrAdopted = true };

    private static MembershipEdge Edge(string member, bool desired, bool applied) =>
        new(Job, new SourceId("g1"), new SourceId(member), ObjectKind.User, desired, applied);

    private static ScimResource Resource(ObjectKind kind, string id, string json)
    {
        using var document = JsonDocument.Parse(json);
        var body = JsonSerializer.SerializeToElement(document.RootElement.EnumerateObject()
            .ToDictionary(property => property.Name, property => property.Value.Clone())
            .Append(KeyValuePair.Create("id", JsonSerializer.SerializeToElement(id)))
            .ToDictionary());
        return ScimResource.From(kind, body);
    }

    private static TargetInventory Inventory(ObjectKind kind, ScimResource[]? resources = null, string[]? missing = null, bool listed = true) =>
        new(kind, (resources ?? []).ToDictionary(resource => resource.Id), (missing ?? []).Select(id => new TargetId(id)).ToHashSet(), listed, null, 1);
}

public sealed class DriftPolicyTests
{
    [Theory]
    [InlineData("00:00:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("00:01:00", false)]
    [InlineData("31.00:00:00", false)]
    public void DriftScanInterval_is_zero_for_on_demand_or_five_minutes_to_thirty_days(string interval, bool valid)
    {
        var policy = new ScimSync.Core.Configuration.JobPolicy { DriftScanInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) };

        var errors = policy.Validate("jobs[0].policy").ToList();

        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, error => Assert.StartsWith("jobs[0].policy.driftScanInterval", error, StringComparison.Ordinal));
    }

    [Fact]
    public void Drift_is_scanned_daily_and_repaired_by_default()
    {
        var policy = new ScimSync.Core.Configuration.JobPolicy();

        Assert.Equal(TimeSpan.FromDays(1), policy.DriftScanInterval);
        Assert.True(policy.RepairDrift);
    }
}
