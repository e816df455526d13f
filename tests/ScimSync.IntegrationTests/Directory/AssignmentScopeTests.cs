using Microsoft.Extensions.Logging.Abstractions;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scoping;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.IntegrationTests.GraphDirectory;

public sealed class AssignmentScopeTests : IAsyncLifetime
{
    private static readonly JobId Job = new("atlassian");

    private readonly InMemoryAssignmentSnapshotStore _snapshots = new();
    private GraphEmulator _emulator = null!;
    private IReadOnlyList<string> _u = [];
    private string _assigned = "";
    private string _nested = "";
    private string _other = "";

    public async Task InitializeAsync()
    {
        var seed = new DirectorySeedBuilder();
        _u = seed.AddUsers(20);
        _nested = seed.AddGroup("Engineering - SRE", _u.Skip(5).Take(3));        // u5..u7
        _assigned = seed.AddGroup("Platform", _u.Take(5).Append(_nested));         // u0..u4 + nested
        _other = seed.AddGroup("Contractors", _u.Skip(8).Take(2));                // u8, u9
        seed.Assign(_assigned, ObjectType.Group).Assign(_u[10], ObjectType.User);
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = seed.Build(), GroupPageSize = 1, MembersPerPage = 3 });
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Assigned_scope_follows_Entra_and_flattening_adds_nested_members()
    {
        var entra = await RunCycleAsync(new DirectoryMirror(), flatten: false);
        var flattened = await RunCycleAsync(new DirectoryMirror(), flatten: true, saveSnapshot: false);

        Assert.Equal(Ids(0, 1, 2, 3, 4, 10), Upserted(entra, ObjectKind.User));
        Assert.Equal(Ids(0, 1, 2, 3, 4, 5, 6, 7, 10), Upserted(flattened, ObjectKind.User));
        Assert.Equal([_assigned], Upserted(entra, ObjectKind.Group));
        Assert.Equal(ScopeReason.NotAssigned, entra[_u[5]].Reason);
        Assert.Equal(ScopeReason.NotAssigned, entra[_nested].Reason);
        Assert.Contains("nested member (depth 2)", flattened[_u[5]].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incremental_cycles_deprovision_and_provision_on_assignment_membership_and_account_changes()
    {
        var mirror = new DirectoryMirror();
        await RunCycleAsync(mirror, flatten: true);
        var tenant = _emulator.Tenant;

        tenant.Unassign(_u[10]);
        tenant.Assign(_other);
        tenant.RemoveMember(_assigned, _u[1]);
        tenant.DisableUser(_u[2]);
        tenant.SoftDeleteUser(_u[3]);
        tenant.HardDeleteUser(_u[4]);
        var newNested = tenant.AddGroup("Engineering - Data");
        tenant.AddMember(newNested, _u[15]);
        tenant.AddMember(_assigned, newNested);
        tenant.RemoveMember(_nested, _u[7]);

        var second = await RunCycleAsync(mirror, flatten: true);

        Assert.Equal((ScopeAction.Deprovision, ScopeReason.NotAssigned), Verdict(second, _u[10]));
        Assert.Equal((ScopeAction.Upsert, ScopeReason.Assigned), Verdict(second, _u[8]));
        Assert.Equal((ScopeAction.Upsert, ScopeReason.Assigned), Verdict(second, _other));
        Assert.Equal((ScopeAction.Deprovision, ScopeReason.NotAssigned), Verdict(second, _u[1]));
        Assert.Equal((ScopeAction.Deprovision, ScopeReason.Disabled), Verdict(second, _u[2]));
        Assert.True(second[_u[2]].Source!.Get("IsSoftDeleted")!.Value.GetBoolean());
        Assert.Equal((ScopeAction.Deprovision, ScopeReason.SoftDeleted), Verdict(second, _u[3]));
        Assert.Equal((ScopeAction.Delete, ScopeReason.HardDeleted), Verdict(second, _u[4]));
        Assert.Equal((ScopeAction.Upsert, ScopeReason.Assigned), Verdict(second, _u[15]));
        Assert.Equal((ScopeAction.Deprovision, ScopeReason.NotAssigned), Verdict(second, _u[7]));
        Assert.DoesNotContain(_u[0], second.Keys);

        var evaluator = Evaluator(mirror, flatten: true);
        var members = new List<string>();
        await foreach (var member in evaluator.GetTargetMembersAsync(new SourceId(_assigned)))
        {
            members.Add(member.Id.Value);
        }
        Assert.Equal(new[] { _u[0], _u[2], _u[5], _u[6], _u[15] }.Order(), members.Order());
    }

    [Fact]
    public async Task Assignments_are_read_in_pages_and_diffed_against_the_stored_snapshot()
    {
        var client = DirectoryMirror.Client(_emulator);
        var reader = new GraphAssignmentReader(client, NullLogger<GraphAssignmentReader>.Instance);
        var first = await reader.ReadAsync(_emulator.Tenant.ServicePrincipal.Id);
        await _snapshots.SaveAsync(Job, first);

        _emulator.Tenant.Unassign(_assigned);
        _emulator.Tenant.Assign(_u[11]);
        var second = await reader.ReadAsync(_emulator.Tenant.ServicePrincipal.Id);
        var diff = second.DiffFrom((await _snapshots.GetAsync(Job))!);

        Assert.Equal([new AssignedPrincipal(new SourceId(_u[11]), ObjectKind.User)], diff.Assigned);
        Assert.Equal([new AssignedPrincipal(new SourceId(_assigned), ObjectKind.Group)], diff.Unassigned);
    }

    [Fact]
    public async Task Reading_assignments_without_permission_names_Application_Read_All()
    {
        _emulator.Controls.DeniedPermission = "Application.Read.All";
        var reader = new GraphAssignmentReader(DirectoryMirror.Client(_emulator), NullLogger<GraphAssignmentReader>.Instance);

        var error = await Assert.ThrowsAsync<GraphAccessDeniedException>(() => reader.ReadAsync(_emulator.Tenant.ServicePrincipal.Id));

        Assert.Contains("Application.Read.All", error.Message, StringComparison.Ordinal);
    }

    private ScopeEvaluator Evaluator(DirectoryMirror mirror, bool flatten) => new(
        new ScopeDefinition { Mode = ScopeMode.Assigned, ServicePrincipalId = _emulator.Tenant.ServicePrincipal.Id, FlattenNestedGroups = flatten },
        mirror.Memberships, "jobs[0].scope");

    /// <summary>One cycle as the engine runs it: assignments, deltas, then a decision per changed or affected object.</summary>
    private async Task<Dictionary<string, ScopeDecision>> RunCycleAsync(DirectoryMirror mirror, bool flatten, bool saveSnapshot = true)
    {
        var client = DirectoryMirror.Client(_emulator);
        var directory = new GraphDirectoryReader(client, NullLogger<GraphDirectoryReader>.Instance);
        var assignments = await new GraphAssignmentReader(client, NullLogger<GraphAssignmentReader>.Instance).ReadAsync(_emulator.Tenant.ServicePrincipal.Id);
        var previous = await _snapshots.GetAsync(Job) ?? AssignmentSnapshot.Empty;
        var evaluator = Evaluator(mirror, flatten);

        var changes = new List<DirectoryChange>();
        foreach (var kind in (ObjectKind[])[ObjectKind.User, ObjectKind.Group])
        {
            var link = kind == ObjectKind.User ? mirror.UsersLink : mirror.GroupsLink;
            var attributes = kind == ObjectKind.User ? DirectoryMirror.UserAttributes : DirectoryMirror.GroupAttributes;
            await foreach (var batch in directory.ReadAsync(new DeltaReadRequest(kind, link, attributes)))
            {
                foreach (var change in batch.Changes)
                {
                    mirror.Apply(change);
                    changes.Add(change);
                }
                if (batch.End is DeltaRoundCompleted completed)
                {
                    _ = kind == ObjectKind.User ? mirror.UsersLink = completed.DeltaLink : mirror.GroupsLink = completed.DeltaLink;
                }
            }
        }

        var decisions = new Dictionary<string, ScopeDecision>(StringComparer.OrdinalIgnoreCase);
        foreach (var change in changes)
        {
            switch (change)
            {
                case ObjectUpserted upserted:
                    decisions[upserted.Source.Id.Value] = await evaluator.EvaluateAsync(upserted.Source, assignments);
                    break;
                case ObjectSoftDeleted soft:
                    decisions[soft.Id.Value] = ScopeEvaluator.ForRemoval(soft);
                    break;
                case ObjectHardDeleted hard:
                    decisions[hard.Id.Value] = ScopeEvaluator.ForRemoval(hard);
                    break;
            }
        }
        var affected = await evaluator.GetAffectedAsync(assignments.DiffFrom(previous), changes, assignments);
        foreach (var kind in (ObjectKind[])[ObjectKind.User, ObjectKind.Group])
        {
            var ids = affected.Where(a => a.Kind == kind && !decisions.ContainsKey(a.Id.Value)).Select(a => a.Id).ToList();
            await foreach (var source in directory.GetObjectsAsync(kind, ids, kind == ObjectKind.User ? DirectoryMirror.UserAttributes : DirectoryMirror.GroupAttributes))
            {
                decisions[source.Id.Value] = await evaluator.EvaluateAsync(source, assignments);
            }
        }
        if (saveSnapshot)
        {
            await _snapshots.SaveAsync(Job, assignments);
        }
        return decisions;
    }

    private static (ScopeAction, ScopeReason) Verdict(Dictionary<string, ScopeDecision> decisions, string id) =>
        decisions.TryGetValue(id, out var decision) ? (decision.Action, decision.Reason) : throw new Xunit.Sdk.XunitException($"no decision for {id}");

    private IEnumerable<string> Ids(params int[] indexes) => indexes.Select(i => _u[i]).Order(StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<string> Upserted(Dictionary<string, ScopeDecision> decisions, ObjectKind kind) =>
        decisions.Values.Where(d => d.Kind == kind && d.Action == ScopeAction.Upsert).Select(d => d.Id.Value).Order(StringComparer.OrdinalIgnoreCase);
}
