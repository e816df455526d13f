using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;
using ScimSync.Emulators.Atlassian;
using ScimSync.IntegrationTests.Infrastructure;
using ScimSync.IntegrationTests.Scim;

namespace ScimSync.IntegrationTests.Reconciliation;

[Collection(AzuriteCollection.Name)]
public sealed class GroupReconciliationTests : IClassFixture<AtlassianEmulatorTarget>, IAsyncLifetime
{
    private readonly ReconciliationHost _host;
    private readonly AtlassianScimEmulator _emulator;

    public GroupReconciliationTests(AzuriteFixture azurite, AtlassianEmulatorTarget target)
    {
        _emulator = target.Emulator;
        _emulator.Reset();
        _host = new ReconciliationHost(azurite, _emulator);
    }

    public Task InitializeAsync() => _host.WarmUpAsync();

    public Task DisposeAsync() => _host.StopAsync();

    [Fact]
    public async Task A_5000_member_group_is_created_empty_filled_in_batches_and_then_changed_by_exactly_20_edges()
    {
        var engineers = ReconciliationHost.Group("g-eng", "Engineering");
        var create = _host.Upsert(engineers);
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(create)).Result);
        var post = Assert.Single(_host.Requests, r => r.Method == "POST");
        Assert.DoesNotContain("members", post.Body, StringComparison.OrdinalIgnoreCase);
        var group = Assert.Single(_emulator.State.Groups);
        Assert.Empty(group.Members);
        var createLog = await _host.LogOfAsync(create);
        Assert.Equal(ProvisioningAction.Create, createLog.Action);
        Assert.Contains(createLog.ModifiedProperties, p => p.DisplayName == "displayName" && p.NewValue == "Engineering");

        var members = await ProvisionedUsersAsync(5_010);
        var first = members.Take(5_000).ToList();
        await _host.Memberships.SetDesiredAsync(ReconciliationHost.Job, engineers.Id, first.Select(m => new DesiredEdge(m, ObjectKind.User, true)));
        _host.ForgetRequests();
        var fill = _host.Members(engineers.Id, first, []);

        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(fill)).Result);
        Assert.Equal(50, _emulator.Counters.Count("PATCH /Groups/{id}"));
        Assert.Equal(5_000, Assert.Single(_emulator.State.Groups).Members.Count);

        var joiners = members.Skip(5_000).ToList();
        var leavers = first.Take(10).ToList();
        await _host.Memberships.SetDesiredAsync(ReconciliationHost.Job, engineers.Id,
            joiners.Select(m => new DesiredEdge(m, ObjectKind.User, true)).Concat(leavers.Select(m => new DesiredEdge(m, ObjectKind.User, false))));
        _host.ForgetRequests();
        var change = _host.Members(engineers.Id, joiners, leavers);

        var outcome = await _host.Processor.ProcessAsync(change);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        Assert.Equal(2, _emulator.Counters.Count("PATCH /Groups/{id}"));
        Assert.Equal(2, _emulator.Counters.Total);
        Assert.Equal(20, _host.Requests.Sum(r => MemberValues(r.Body!)));
        var after = Assert.Single(_emulator.State.Groups);
        Assert.Equal(5_000, after.Members.Count);
        var targetOf = await TargetIdsAsync(joiners.Concat(leavers));
        Assert.All(joiners, j => Assert.Contains(targetOf[j], after.Members));
        Assert.All(leavers, l => Assert.DoesNotContain(targetOf[l], after.Members));
        var log = await _host.LogOfAsync(change);
        Assert.Equal(ProvisioningAction.Update, log.Action);
        Assert.Equal(ProvisioningStatus.Success, log.Status);
        Assert.Contains(log.ModifiedProperties, p => p.DisplayName == "members (added)" && p.NewValue!.StartsWith("10:", StringComparison.Ordinal));
        Assert.Contains(log.ModifiedProperties, p => p.DisplayName == "members (removed)" && p.OldValue!.StartsWith("10:", StringComparison.Ordinal));
        Assert.Contains(log.Steps, s => s.Type == ProvisioningStepType.Export && s.Description.Contains("in 2 request(s)", StringComparison.Ordinal));

        _host.ForgetRequests();
        var redelivered = await _host.Processor.ProcessAsync(change);

        Assert.Equal(WorkItemResult.Succeeded, redelivered.Result);
        Assert.Equal(0, _emulator.Counters.Total);
    }

    [Theory]
    [InlineData(4, null)] // a slice from before the count: the worker counts the group's edges and the slice's adds
    [InlineData(1, 4)] // the cycle counted four, so even a slice of one is refused
    public async Task A_group_that_would_exceed_the_profiles_member_limit_fails_clearly_and_sends_no_member(int sliceMembers, int? counted)
    {
        await _host.WarmUpAsync(ReconciliationHost.TinyGroupsJob);
        var group = ReconciliationHost.Group("g-big", "Everyone");
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(group, ReconciliationHost.TinyGroupsJob))).Result);
        var members = await ProvisionedUsersAsync(sliceMembers, ReconciliationHost.TinyGroupsJob);
        _host.ForgetRequests();
        var item = _host.Members(group.Id, members, [], ReconciliationHost.TinyGroupsJob, desiredMemberCount: counted);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Failed, outcome.Result);
        Assert.Contains("4 members", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("at most 3", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _emulator.Counters.Total);
        Assert.Empty(Assert.Single(_emulator.State.Groups).Members);
        var state = (await _host.Objects.GetAsync(ReconciliationHost.TinyGroupsJob, ObjectKind.Group, group.Id))!.Value;
        Assert.Equal(ObjectStatus.Escrowed, state.Status);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningStatus.Failure, log.Status);
        Assert.Equal("GroupMemberLimitExceeded", log.Error?.ErrorCode);
    }

    [Fact]
    public async Task A_slice_that_carries_its_groups_size_reads_its_own_edges_and_looks_for_a_pending_one_after_them()
    {
        var group = ReconciliationHost.Group("g-staff", "All staff");
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(group))).Result);
        var slice = await ProvisionedUsersAsync(100);
        var earlier = Enumerable.Range(0, 2_000).Select(i => new SourceId($"a-earlier-{i:D4}")).ToList();
        var later = Enumerable.Range(0, 400).Select(i => new SourceId($"z-later-{i:D4}")).ToList();
        await _host.Memberships.SetDesiredAsync(ReconciliationHost.Job, group.Id, earlier.Concat(slice).Concat(later).Select(m => new DesiredEdge(m, ObjectKind.User, true)));
        await _host.Memberships.SetAppliedAsync(ReconciliationHost.Job, group.Id, earlier.Select(m => new AppliedEdge(m, ObjectKind.User, true)));
        _host.StateRequests.Clear();

        var outcome = await _host.Processor.ProcessAsync(_host.Members(group.Id, slice, [], desiredMemberCount: 2_500, slice: 1, slices: 3));

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        Assert.Equal(100, Assert.Single(_emulator.State.Groups).Members.Count);
        // The group's 2,500 edges take three pages, and its first pending edge is on the third. The slice's own edges
        // take one, and the first edge after them is pending, so the check whether the group is settled takes one more.
        Assert.Equal(2, _host.StateRequests.Count(request => request.StartsWith("GET ", StringComparison.Ordinal) && request.Contains("Memberships()", StringComparison.Ordinal)));
        var stored = await _host.Memberships.ListAsync(ReconciliationHost.Job, group.Id).ToListAsync();
        Assert.Equal(earlier.Concat(slice).Select(id => id.Value).Order(StringComparer.Ordinal), stored.Where(edge => edge.Applied).Select(edge => edge.Member.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_groups_members_settle_when_its_last_pending_slice_is_applied_whichever_slice_that_is()
    {
        foreach (var laterSliceFirst in (bool[])[true, false])
        {
            var group = ReconciliationHost.Group($"g-settle-{laterSliceFirst}", $"Settle {laterSliceFirst}");
            Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(group))).Result);
            var members = (await ProvisionedUsersAsync(4)).OrderBy(id => id.Value, StringComparer.Ordinal).ToList();
            await _host.Memberships.SetDesiredAsync(ReconciliationHost.Job, group.Id, members.Select(m => new DesiredEdge(m, ObjectKind.User, true)));
            await _host.Objects.RecordPendingAsync(ReconciliationHost.Job, [new PendingRecord(ObjectKind.Group, group.Id, null, MembersPending: true, DateTimeOffset.UtcNow, null)]);
            var (earlier, later) = (
                _host.Members(group.Id, members[..2], [], desiredMemberCount: 4, slice: 0, slices: 2),
                _host.Members(group.Id, members[2..], [], desiredMemberCount: 4, slice: 1, slices: 2));
            var (firstDone, lastDone) = laterSliceFirst ? (later, earlier) : (earlier, later);

            Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(firstDone)).Result);
            Assert.True((await _host.StateOfAsync(group)).MembersPending);
            Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(lastDone)).Result);
            Assert.False((await _host.StateOfAsync(group)).MembersPending);
            Assert.Equal(4, Assert.Single(_emulator.State.Groups, g => g.DisplayName == $"Settle {laterSliceFirst}").Members.Count);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_groups_only_slice_reads_the_group_once_and_settles_it_unless_an_edge_outside_the_slice_is_still_pending(bool pendingOutside)
    {
        var group = ReconciliationHost.Group($"g-only-{pendingOutside}", $"Only slice {pendingOutside}");
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(group))).Result);
        var slice = await ProvisionedUsersAsync(3);
        var applied = Enumerable.Range(0, 5).Select(i => new SourceId($"a-applied-{i}")).ToList();
        var outside = new SourceId("z-left-by-an-earlier-cycle");
        var desired = applied.Concat(slice).Concat(pendingOutside ? [outside] : []).ToList();
        await _host.Memberships.SetDesiredAsync(ReconciliationHost.Job, group.Id, desired.Select(m => new DesiredEdge(m, ObjectKind.User, true)));
        await _host.Memberships.SetAppliedAsync(ReconciliationHost.Job, group.Id, applied.Select(m => new AppliedEdge(m, ObjectKind.User, true)));
        await _host.Objects.RecordPendingAsync(ReconciliationHost.Job, [new PendingRecord(ObjectKind.Group, group.Id, null, MembersPending: true, DateTimeOffset.UtcNow, null)]);
        _host.StateRequests.Clear();

        var outcome = await _host.Processor.ProcessAsync(_host.Members(group.Id, slice, [], desiredMemberCount: desired.Count));

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        Assert.Equal(3, Assert.Single(_emulator.State.Groups, g => g.DisplayName == $"Only slice {pendingOutside}").Members.Count);
        Assert.Equal(1, _host.StateRequests.Count(request => request.StartsWith("GET ", StringComparison.Ordinal) && request.Contains("Memberships()", StringComparison.Ordinal)));
        Assert.Equal(pendingOutside, (await _host.StateOfAsync(group)).MembersPending);
        var stored = await _host.Memberships.ListAsync(ReconciliationHost.Job, group.Id).ToListAsync();
        Assert.Equal(pendingOutside ? [outside] : [], stored.Where(edge => edge.IsPending).Select(edge => edge.Member));
    }

    [Fact]
    public async Task A_slice_right_after_its_member_was_created_here_sends_it_without_reading_its_state()
    {
        var group = ReconciliationHost.Group("g-fresh", "Fresh");
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(group))).Result);
        var user = ReconciliationHost.User("u-fresh", "fresh@example.com");
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(user))).Result);
        await _host.Memberships.SetDesiredAsync(ReconciliationHost.Job, group.Id, [new DesiredEdge(user.Id, ObjectKind.User, true)]);
        _host.StateRequests.Clear();

        var outcome = await _host.Processor.ProcessAsync(_host.Members(group.Id, [user.Id], []));

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        var created = Assert.Single(_emulator.State.Users, u => u.UserName == "fresh@example.com");
        Assert.Equal([created.Id], Assert.Single(_emulator.State.Groups, g => g.DisplayName == "Fresh").Members);
        Assert.DoesNotContain(_host.StateRequests, request => request.StartsWith("GET ", StringComparison.Ordinal) && request.Contains("u-fresh", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_member_not_provisioned_yet_is_retried_later_while_the_others_are_applied()
    {
        var group = ReconciliationHost.Group("g-ops", "Operations");
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(group))).Result);
        var known = await ProvisionedUsersAsync(2);
        var pending = new SourceId("u-not-yet");
        await _host.Memberships.SetDesiredAsync(ReconciliationHost.Job, group.Id, known.Append(pending).Select(m => new DesiredEdge(m, ObjectKind.User, true)));
        var item = _host.Members(group.Id, known.Append(pending), []);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.RetryLater, outcome.Result);
        Assert.Contains("member(s) not provisioned yet: User u-not-yet", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(2, Assert.Single(_emulator.State.Groups).Members.Count);
        var applied = await _host.Memberships.ListAsync(ReconciliationHost.Job, group.Id).ToListAsync();
        Assert.Equal(2, applied.Count(e => e.Applied));
        var log = await _host.LogOfAsync(item);
        Assert.Equal("MemberNotProvisionedYet", log.Error?.ErrorCode);
        Assert.Contains(log.ModifiedProperties, p => p.DisplayName == "members (added)" && p.NewValue!.StartsWith("2:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_member_the_target_refused_is_reported_as_a_warning_and_the_group_does_not_wait_for_it()
    {
        var group = ReconciliationHost.Group("g-mixed", "Mixed");
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(group))).Result);
        var external = ReconciliationHost.User("u-external", "contractor@elsewhere.org");
        Assert.Equal(WorkItemResult.Skipped, (await _host.Processor.ProcessAsync(_host.Upsert(external))).Result);
        var known = await ProvisionedUsersAsync(2);
        var members = known.Append(external.Id).ToList();
        await _host.Memberships.SetDesiredAsync(ReconciliationHost.Job, group.Id, members.Select(m => new DesiredEdge(m, ObjectKind.User, true)));
        var item = _host.Members(group.Id, members, []);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        Assert.Equal(2, Assert.Single(_emulator.State.Groups).Members.Count);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningStatus.Warning, log.Status);
        Assert.Contains(log.Steps, step => step.Name == "MemberNotProvisioned" && step.Description.Contains("User u-external (InvalidDomain:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_member_skipped_for_want_of_a_matching_value_does_not_hold_its_group_and_is_due_for_it_once_provisioned()
    {
        var group = ReconciliationHost.Group("g-late", "Late joiners");
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(group))).Result);
        var nameless = ReconciliationHost.User("u-nameless", null!);
        Assert.Equal(WorkItemResult.Skipped, (await _host.Processor.ProcessAsync(_host.Upsert(nameless))).Result);
        Assert.Equal(ObjectStatus.Skipped, (await _host.StateOfAsync(nameless)).Status);
        var members = (await ProvisionedUsersAsync(1)).Append(nameless.Id).ToList();
        await _host.Memberships.SetDesiredAsync(ReconciliationHost.Job, group.Id, members.Select(m => new DesiredEdge(m, ObjectKind.User, true)));
        var item = _host.Members(group.Id, members, []);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        Assert.Single(Assert.Single(_emulator.State.Groups).Members);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningStatus.Warning, log.Status);
        Assert.Contains(log.Steps, step => step.Name == "MemberNotProvisioned" && step.Description.Contains("User u-nameless (ImportSkipped:", StringComparison.Ordinal));

        var named = _host.Upsert(ReconciliationHost.User("u-nameless", "late@example.com"));
        var namedOutcome = await _host.Processor.ProcessAsync(named);
        Assert.True(namedOutcome.Result == WorkItemResult.Succeeded, namedOutcome.Reason);

        Assert.True((await _host.StateOfAsync(group)).MembersPending);
        Assert.Contains((await _host.LogOfAsync(named)).Steps, step => step.Name == "EntryGroupsAwaitingMember");
        Assert.Empty(await _host.Memberships.TakeGroupsAwaitingAsync(ReconciliationHost.Job, nameless.Id));
    }

    [Fact]
    public async Task A_member_in_escrow_for_a_mapping_failure_does_not_hold_its_group()
    {
        var group = ReconciliationHost.Group("g-escrow", "Escrow");
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(group))).Result);
        var broken = new SourceId("u-broken");
        await _host.Objects.RecordFailureAsync(ReconciliationHost.Job, ObjectKind.User, broken,
            new ObjectError("AttributeMappingFailed", "The expression of 'title' failed.", null, DateTimeOffset.UtcNow));
        var members = (await ProvisionedUsersAsync(1)).Append(broken).ToList();
        await _host.Memberships.SetDesiredAsync(ReconciliationHost.Job, group.Id, members.Select(m => new DesiredEdge(m, ObjectKind.User, true)));
        var item = _host.Members(group.Id, members, []);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        Assert.Single(Assert.Single(_emulator.State.Groups).Members);
        Assert.Contains((await _host.LogOfAsync(item)).Steps, step => step.Name == "MemberNotProvisioned" && step.Description.Contains("(AttributeMappingFailed: The expression of 'title' failed.)", StringComparison.Ordinal));
        Assert.Equal([group.Id], await _host.Memberships.TakeGroupsAwaitingAsync(ReconciliationHost.Job, broken));
    }

    [Fact]
    public async Task Members_of_a_group_not_provisioned_yet_wait_for_the_group()
    {
        var item = _host.Members(new SourceId("g-later"), await ProvisionedUsersAsync(1), []);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.RetryLater, outcome.Result);
        Assert.Equal(0, _emulator.Counters.Total);
        Assert.Equal("GroupNotProvisionedYet", (await _host.LogOfAsync(item)).Error?.ErrorCode);
    }

    [Fact]
    public async Task A_group_rename_is_not_sent_to_Atlassian_and_the_log_says_why()
    {
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(ReconciliationHost.Group("g-ops", "Operations")))).Result);
        _host.ForgetRequests();
        var rename = _host.Upsert(ReconciliationHost.Group("g-ops", "Platform Operations"));

        var outcome = await _host.Processor.ProcessAsync(rename);

        Assert.Equal(WorkItemResult.Skipped, outcome.Result);
        Assert.Equal(0, _emulator.Counters.Total);
        Assert.Equal("Operations", Assert.Single(_emulator.State.Groups).DisplayName);
        var log = await _host.LogOfAsync(rename);
        Assert.Equal(ProvisioningStatus.Skipped, log.Status);
        Assert.Equal("GroupRenameNotSupported", log.Error?.ErrorCode);
        Assert.Contains("create a new group with the new name", log.Error?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deprovisioning_a_group_leaves_it_in_Atlassian_because_groups_have_no_active_flag()
    {
        var group = ReconciliationHost.Group("g-ops", "Operations");
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(group))).Result);
        _host.ForgetRequests();
        var item = _host.Deprovision(group);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Skipped, outcome.Result);
        Assert.Equal(0, _emulator.Counters.Total);
        Assert.Single(_emulator.State.Groups);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningAction.Disable, log.Action);
        Assert.Contains("no active flag", log.Error?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plan_of_a_membership_change_counts_the_edges_and_sends_nothing()
    {
        var group = ReconciliationHost.Group("g-ops", "Operations");
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(group))).Result);
        var members = await ProvisionedUsersAsync(3);
        await _host.Memberships.SetDesiredAsync(ReconciliationHost.Job, group.Id, members.Select(m => new DesiredEdge(m, ObjectKind.User, true)));
        _host.ForgetRequests();

        var plan = await _host.Planner.PlanAsync(_host.Members(group.Id, members, []));

        Assert.Equal(ProvisioningAction.Update, plan.Action);
        Assert.True(plan.WouldWrite);
        Assert.Contains("3 addition(s) and 0 removal(s)", plan.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _emulator.Counters.Total);
        Assert.Empty(Assert.Single(_emulator.State.Groups).Members);
    }

    // Users that exist in the target and whose state says so, as earlier items would have left them.
    private async Task<List<SourceId>> ProvisionedUsersAsync(int count, JobId? job = null)
    {
        var prefix = Guid.NewGuid().ToString("N")[..6];
        var users = Enumerable.Range(0, count).Select(i =>
        {
            var name = $"m{prefix}{i}@example.com";
            var seeded = _emulator.State.SeedUser(new AtlassianSeedUser { UserName = name, Emails = [new AtlassianMultiValue(name, "work", true)] });
            return (Source: new SourceId($"u-{prefix}-{i}"), Target: new TargetId(seeded.Id));
        }).ToList();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (user, ct) =>
            Assert.False((await _host.Objects.SaveAsync(
                new ObjectState(job ?? ReconciliationHost.Job, ObjectKind.User, user.Source) { TargetId = user.Target, CreatedOrAdopted = true, MatchedBy = "created" },
                null, ct)).IsConflict));
        return users.Select(u => u.Source).ToList();
    }

    private async Task<Dictionary<SourceId, string>> TargetIdsAsync(IEnumerable<SourceId> users)
    {
        var map = new Dictionary<SourceId, string>();
        foreach (var user in users)
        {
            map[user] = (await _host.Objects.GetAsync(ReconciliationHost.Job, ObjectKind.User, user))!.Value.TargetId!.Value.Value;
        }

        return map;
    }

    private static int MemberValues(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("Operations").EnumerateArray()
            .Where(op => op.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array)
            .Sum(op => op.GetProperty("value").GetArrayLength());
    }
}
