using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scoping;

namespace ScimSync.Core.Tests.Scoping;

public sealed class ScopeEvaluatorTests
{
    private const string App = "11111111-1111-4111-8111-111111111111";
    private const string Sales = "22222222-2222-4222-8222-222222222222";
    private const string SalesEmea = "33333333-3333-4333-8333-333333333333";

    private static readonly SourceId SalesId = new(Sales);
    private static readonly SourceId SalesEmeaId = new(SalesEmea);

    private readonly InMemoryMembershipGraph _memberships = new();

    public ScopeEvaluatorTests()
    {
        // Sales contains ann directly and the nested group Sales EMEA, which contains bob.
        _memberships.Apply(new MembershipAdded(SalesId, new SourceId("ann"), ObjectKind.User));
        _memberships.Apply(new MembershipAdded(SalesId, SalesEmeaId, ObjectKind.Group));
        _memberships.Apply(new MembershipAdded(SalesEmeaId, new SourceId("bob"), ObjectKind.User));
    }

    private static SourceObject User(string id, bool enabled = true, string department = "Sales") =>
        SourceObject.Create(new SourceId(id), ObjectKind.User,
        [
            KeyValuePair.Create("accountEnabled", JsonSerializer.SerializeToElement(enabled)),
            KeyValuePair.Create("department", JsonSerializer.SerializeToElement(department)),
        ]);

    private static AssignmentSnapshot Assigned(params (string Id, ObjectKind Kind)[] principals) =>
        new(principals.Select(p => new AppRoleAssignment(new SourceId(p.Id), p.Kind, Guid.Empty)).ToList());

    private ScopeEvaluator Evaluator(bool flatten = false, ScopeMode mode = ScopeMode.Assigned, params ScopingFilterDefinition[] filters) =>
        new(new ScopeDefinition { Mode = mode, ServicePrincipalId = App, GroupIds = mode == ScopeMode.Groups ? [Sales] : [], FlattenNestedGroups = flatten, Filters = [.. filters] },
            _memberships, "jobs[0].scope");

    [Fact]
    public async Task A_directly_assigned_enabled_user_is_upserted_with_IsSoftDeleted_false()
    {
        var decision = await Evaluator().EvaluateAsync(User("zoe"), Assigned(("zoe", ObjectKind.User)));

        Assert.Equal(ScopeAction.Upsert, decision.Action);
        Assert.Equal(ScopeReason.Assigned, decision.Reason);
        Assert.False(decision.Source!.Get("IsSoftDeleted")!.Value.GetBoolean());
        Assert.Equal("in scope: User zoe is assigned to the app", decision.Explanation);
    }

    [Fact]
    public async Task An_immediate_member_of_an_assigned_group_is_in_scope_and_the_explanation_names_the_group()
    {
        var decision = await Evaluator().EvaluateAsync(User("ann"), Assigned((Sales, ObjectKind.Group)));

        Assert.Equal(ScopeAction.Upsert, decision.Action);
        Assert.Equal($"in scope: user ann is a member of assigned group {Sales}", decision.Explanation);
    }

    [Fact]
    public async Task A_nested_member_is_out_of_scope_unless_nested_groups_are_flattened()
    {
        var assignments = Assigned((Sales, ObjectKind.Group));

        var entra = await Evaluator().EvaluateAsync(User("bob"), assignments);
        var flattened = await Evaluator(flatten: true).EvaluateAsync(User("bob"), assignments);

        Assert.Equal(ScopeAction.Deprovision, entra.Action);
        Assert.Equal(ScopeReason.NotAssigned, entra.Reason);
        Assert.True(entra.Source!.Get("IsSoftDeleted")!.Value.GetBoolean());
        Assert.Equal(ScopeAction.Upsert, flattened.Action);
        Assert.Equal($"in scope: user bob is a nested member (depth 2) of assigned group {Sales}", flattened.Explanation);
    }

    [Fact]
    public async Task A_disabled_user_in_scope_is_deprovisioned_as_disabled()
    {
        var decision = await Evaluator().EvaluateAsync(User("zoe", enabled: false), Assigned(("zoe", ObjectKind.User)));

        Assert.Equal(ScopeAction.Deprovision, decision.Action);
        Assert.Equal(ScopeReason.Disabled, decision.Reason);
        Assert.True(decision.IsSoftDeleted);
        Assert.True(decision.Source!.Get("IsSoftDeleted")!.Value.GetBoolean());
    }

    [Fact]
    public async Task A_user_failing_every_filter_is_deprovisioned_with_the_failing_clause_and_value()
    {
        var evaluator = Evaluator(filters: new ScopingFilterDefinition
        {
            Name = "Sales only",
            Clauses = [new() { Attribute = "department", Operator = "EQUALS", Value = "Sales" }],
        });

        var decision = await evaluator.EvaluateAsync(User("zoe", department: "Marketing"), Assigned(("zoe", ObjectKind.User)));

        Assert.Equal(ScopeReason.FilteredOut, decision.Reason);
        Assert.Equal(
            "in scope: User zoe is assigned to the app, but no scoping filter matched: Sales only did not match: department EQUALS \"Sales\" (value \"Marketing\"): false",
            decision.Explanation);
        Assert.Equal("jobs[0].scope.filters[0].clauses[0]", decision.Filters!.Filters[0].Clauses[0].Path);
    }

    [Fact]
    public async Task In_groups_mode_the_listed_group_and_its_members_are_in_scope_and_other_groups_are_not()
    {
        var evaluator = Evaluator(mode: ScopeMode.Groups);
        var group = SourceObject.Create(SalesId, ObjectKind.Group, []);
        var other = SourceObject.Create(SalesEmeaId, ObjectKind.Group, []);

        Assert.Equal(ScopeReason.InListedGroup, (await evaluator.EvaluateAsync(group, AssignmentSnapshot.Empty)).Reason);
        Assert.Equal(ScopeAction.Upsert, (await evaluator.EvaluateAsync(User("ann"), AssignmentSnapshot.Empty)).Action);
        Assert.Equal(ScopeReason.NotInListedGroup, (await evaluator.EvaluateAsync(other, AssignmentSnapshot.Empty)).Reason);
    }

    [Fact]
    public async Task In_all_mode_every_enabled_user_is_in_scope() =>
        Assert.Equal(ScopeReason.AllObjects, (await Evaluator(mode: ScopeMode.All).EvaluateAsync(User("nobody"), AssignmentSnapshot.Empty)).Reason);

    [Fact]
    public void A_soft_delete_deprovisions_and_a_hard_delete_deletes()
    {
        var soft = ScopeEvaluator.ForRemoval(new ObjectSoftDeleted(new SourceId("ann"), ObjectKind.User));
        var hard = ScopeEvaluator.ForRemoval(new ObjectHardDeleted(new SourceId("ann"), ObjectKind.User));

        Assert.Equal((ScopeAction.Deprovision, ScopeReason.SoftDeleted), (soft.Action, soft.Reason));
        Assert.Equal((ScopeAction.Delete, ScopeReason.HardDeleted), (hard.Action, hard.Reason));
    }

    [Fact]
    public async Task Unassigning_a_group_affects_the_group_and_its_members()
    {
        var before = Assigned((Sales, ObjectKind.Group));
        var diff = AssignmentSnapshot.Empty.DiffFrom(before);

        var affected = await Evaluator().GetAffectedAsync(diff, [], AssignmentSnapshot.Empty);
        var affectedFlattened = await Evaluator(flatten: true).GetAffectedAsync(diff, [], AssignmentSnapshot.Empty);

        Assert.Equal([new DirectoryMember(SalesId, ObjectKind.Group), new DirectoryMember(new SourceId("ann"), ObjectKind.User)], affected);
        Assert.Contains(new DirectoryMember(new SourceId("bob"), ObjectKind.User), affectedFlattened);
    }

    [Fact]
    public async Task A_membership_change_in_an_in_scope_group_affects_the_member_and_with_flattening_the_users_of_a_nested_group()
    {
        var assignments = Assigned((Sales, ObjectKind.Group));
        var noAssignmentChange = assignments.DiffFrom(assignments);
        var changes = new DirectoryChange[]
        {
            new MembershipRemoved(SalesId, new SourceId("ann"), ObjectKind.User),
            new MembershipAdded(SalesEmeaId, new SourceId("cid"), ObjectKind.User),
            new MembershipAdded(new SourceId("unrelated"), new SourceId("dan"), ObjectKind.User),
        };

        var affected = await Evaluator().GetAffectedAsync(noAssignmentChange, changes, assignments);
        var affectedFlattened = await Evaluator(flatten: true).GetAffectedAsync(noAssignmentChange, changes, assignments);

        Assert.Equal([new DirectoryMember(new SourceId("ann"), ObjectKind.User)], affected);
        Assert.Equal(["ann", "cid"], affectedFlattened.Select(m => m.Id.Value).Order());
    }

    [Fact]
    public async Task Flattened_target_members_are_every_nested_user_once_even_with_a_cycle()
    {
        _memberships.Apply(new MembershipAdded(SalesEmeaId, SalesId, ObjectKind.Group));
        _memberships.Apply(new MembershipAdded(SalesEmeaId, new SourceId("ann"), ObjectKind.User));

        var direct = await Evaluator().GetTargetMembersAsync(SalesId).ToListAsync();
        var flattened = await Evaluator(flatten: true).GetTargetMembersAsync(SalesId).ToListAsync();

        Assert.Equal([SalesEmea, "ann"], direct.Select(m => m.Id.Value).Order());
        Assert.Equal(["ann", "bob"], flattened.Select(m => m.Id.Value).Order());
    }

    [Fact]
    public void Assignment_diff_lists_newly_assigned_and_unassigned_principals_but_not_role_changes()
    {
        var before = new AssignmentSnapshot([new AppRoleAssignment(new SourceId("ann"), ObjectKind.User, Guid.Empty), new AppRoleAssignment(SalesId, ObjectKind.Group, Guid.Empty)]);
        var after = new AssignmentSnapshot([new AppRoleAssignment(new SourceId("ann"), ObjectKind.User, Guid.NewGuid()), new AppRoleAssignment(new SourceId("bob"), ObjectKind.User, Guid.Empty)]);

        var diff = after.DiffFrom(before);

        Assert.Equal([new AssignedPrincipal(new SourceId("bob"), ObjectKind.User)], diff.Assigned);
        Assert.Equal([new AssignedPrincipal(SalesId, ObjectKind.Group)], diff.Unassigned);
    }

    [Fact]
    public async Task An_assignment_snapshot_round_trips_through_its_stored_json()
    {
        var store = new InMemoryAssignmentSnapshotStore();
        var snapshot = Assigned(("ann", ObjectKind.User), (Sales, ObjectKind.Group));
        var json = JsonSerializer.Serialize(snapshot, ScopingJsonContext.Default.AssignmentSnapshot);

        await store.SaveAsync(new JobId("j1"), JsonSerializer.Deserialize(json, ScopingJsonContext.Default.AssignmentSnapshot)!);

        var loaded = await store.GetAsync(new JobId("j1"));
        Assert.True(loaded!.IsAssigned(SalesId));
        Assert.True(loaded.DiffFrom(snapshot).IsEmpty);
        Assert.Null(await store.GetAsync(new JobId("other")));
    }
}
