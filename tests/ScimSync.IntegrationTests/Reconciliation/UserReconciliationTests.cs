using System.Text.Json;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State.Objects;
using ScimSync.Emulators.Atlassian;
using ScimSync.IntegrationTests.Infrastructure;
using ScimSync.IntegrationTests.Scim;

namespace ScimSync.IntegrationTests.Reconciliation;

[Collection(AzuriteCollection.Name)]
public sealed class UserReconciliationTests : IClassFixture<AtlassianEmulatorTarget>, IAsyncLifetime
{
    private readonly ReconciliationHost _host;
    private readonly AtlassianScimEmulator _emulator;

    public UserReconciliationTests(AzuriteFixture azurite, AtlassianEmulatorTarget target)
    {
        _emulator = target.Emulator;
        _emulator.Reset();
        _host = new ReconciliationHost(azurite, _emulator);
    }

    public Task InitializeAsync() => _host.WarmUpAsync();

    public Task DisposeAsync() => _host.StopAsync();

    [Fact]
    public async Task A_new_user_is_matched_then_created_with_one_POST_and_logged_as_a_create()
    {
        var ada = ReconciliationHost.User("u-ada", "ada@example.com");
        var item = _host.Upsert(ada);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        var created = Assert.Single(_emulator.State.LiveUsers);
        Assert.Equal("ada@example.com", created.UserName);
        Assert.Equal("Engineer", created.Attribute("title"));
        Assert.Equal(1, _emulator.Counters.Count("GET /Users"));
        Assert.Equal(1, _emulator.Counters.Count("POST /Users"));
        Assert.Equal(2, _emulator.Counters.Total);

        var state = await _host.StateOfAsync(ada);
        Assert.Equal(created.Id, state.TargetId?.Value);
        Assert.True(state.CreatedOrAdopted);
        Assert.Equal("created", state.MatchedBy);

        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningAction.Create, log.Action);
        Assert.Equal(ProvisioningStatus.Success, log.Status);
        Assert.Equal(created.Id, log.TargetIdentity?.Id);
        Assert.Equal(
            [ProvisioningStepType.Import, ProvisioningStepType.Scoping, ProvisioningStepType.Processing, ProvisioningStepType.Matching, ProvisioningStepType.Export],
            log.Steps.Select(s => s.Type).Distinct());
        Assert.Contains(log.ModifiedProperties, p => p.DisplayName == "userName" && p.OldValue is null && p.NewValue == "ada@example.com");
        Assert.Contains(log.ModifiedProperties, p => p.DisplayName == "title" && p.NewValue == "Engineer");
        Assert.Null(log.Error);
    }

    [Fact]
    public async Task Changing_one_attribute_sends_exactly_one_PATCH_with_one_operation()
    {
        await CreateAsync(ReconciliationHost.User("u-ada", "ada@example.com"));
        var item = _host.Upsert(ReconciliationHost.User("u-ada", "ada@example.com", jobTitle: "Principal Engineer"));

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        Assert.Equal(1, _emulator.Counters.Count("PATCH /Users/{id}"));
        Assert.Equal(1, _emulator.Counters.Total);
        var patch = Assert.Single(_host.Requests);
        using var body = JsonDocument.Parse(patch.Body!);
        var operation = Assert.Single(body.RootElement.GetProperty("Operations").EnumerateArray());
        Assert.Equal("title", operation.GetProperty("path").GetString());
        Assert.Equal("Principal Engineer", operation.GetProperty("value").GetString());
        Assert.Equal("Principal Engineer", Assert.Single(_emulator.State.LiveUsers).Attribute("title"));

        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningAction.Update, log.Action);
        Assert.Equal(ProvisioningStatus.Success, log.Status);
        var change = Assert.Single(log.ModifiedProperties);
        Assert.Equal(new ModifiedProperty("title", "Engineer", "Principal Engineer"), change);
    }

    [Fact]
    public async Task An_attribute_the_target_silently_drops_is_logged_as_a_warning_and_not_recorded_as_applied()
    {
        await _host.WarmUpAsync(ReconciliationHost.ExtraAttributesJob);
        var ada = ReconciliationHost.User("u-ada", "ada@example.com", jobTitle: "Secret Agent");
        var item = _host.Upsert(ada, ReconciliationHost.ExtraAttributesJob);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        Assert.Contains("profileUrl", _host.Requests.Single(r => r.Method == "POST").Body, StringComparison.Ordinal);
        Assert.Equal("Secret Agent", Assert.Single(_emulator.State.LiveUsers).Attribute("nickName"));
        var state = await _host.StateOfAsync(ada, ReconciliationHost.ExtraAttributesJob);
        Assert.Null(state.LastApplied["profileUrl"]);
        Assert.NotNull(state.LastApplied["nickName"]);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningAction.Create, log.Action);
        Assert.Equal(ProvisioningStatus.Warning, log.Status);
        Assert.Equal("AttributeNotKept", log.Error?.ErrorCode);
        Assert.Contains(log.Steps, s => s.Status == ProvisioningStatus.Warning && s.Description.Contains("did not keep 'profileUrl'", StringComparison.Ordinal));
        Assert.Contains(new ModifiedProperty("nickName", null, ModifiedProperty.RedactedValue), log.ModifiedProperties);
        Assert.DoesNotContain(log.ModifiedProperties, p => p.DisplayName == "nickName" && p.NewValue == "Secret Agent");
    }

    [Fact]
    public async Task A_mapping_that_fails_for_one_user_fails_that_user_with_a_readable_reason_and_sends_nothing()
    {
        await _host.WarmUpAsync(ReconciliationHost.DateMappingJob);
        var ada = ReconciliationHost.User("u-ada", "ada@example.com", jobTitle: "Engineer");
        var item = _host.Upsert(ada, ReconciliationHost.DateMappingJob);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Failed, outcome.Result);
        Assert.Contains("mapping to 'nickName'", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("is not a date", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _emulator.Counters.Total);
        var state = await _host.StateOfAsync(ada, ReconciliationHost.DateMappingJob);
        Assert.Equal(ObjectStatus.Escrowed, state.Status);
        Assert.Equal("AttributeMappingFailed", state.LastError?.Code);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningStatus.Failure, log.Status);
        Assert.Equal("AttributeMappingFailed", log.Error?.ErrorCode);
        Assert.NotNull(log.Error?.RecommendedAction);
    }

    [Fact]
    public async Task An_unchanged_user_costs_no_SCIM_request_and_is_logged_as_skipped()
    {
        var ada = ReconciliationHost.User("u-ada", "ada@example.com");
        await CreateAsync(ada);
        var item = _host.Upsert(ada);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Skipped, outcome.Result);
        Assert.Equal(0, _emulator.Counters.Total);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningStatus.Skipped, log.Status);
        Assert.Equal("EntrySynchronizationSkipped", log.Error?.ErrorCode);
        Assert.Contains("No change", log.Error?.Reason, StringComparison.Ordinal);
        Assert.Empty(log.ModifiedProperties);
    }

    [Fact]
    public async Task Deprovisioning_disables_the_user_and_a_later_upsert_enables_it_again()
    {
        var ada = ReconciliationHost.User("u-ada", "ada@example.com");
        await CreateAsync(ada);
        var disable = _host.Deprovision(ReconciliationHost.User("u-ada", "ada@example.com", softDeleted: true));

        var disabled = await _host.Processor.ProcessAsync(disable);

        Assert.Equal(WorkItemResult.Succeeded, disabled.Result);
        Assert.False(Assert.Single(_emulator.State.LiveUsers).Active);
        Assert.Equal(1, _emulator.Counters.Count("PATCH /Users/{id}"));
        Assert.Equal(ObjectStatus.Disabled, (await _host.StateOfAsync(ada)).Status);
        var disableLog = await _host.LogOfAsync(disable);
        Assert.Equal(ProvisioningAction.Disable, disableLog.Action);
        Assert.Equal(ProvisioningStatus.Success, disableLog.Status);
        Assert.Equal(new ModifiedProperty("active", "true", "false"), Assert.Single(disableLog.ModifiedProperties));

        _host.ForgetRequests();
        var enable = _host.Upsert(ada);
        var enabled = await _host.Processor.ProcessAsync(enable);

        Assert.Equal(WorkItemResult.Succeeded, enabled.Result);
        Assert.True(Assert.Single(_emulator.State.LiveUsers).Active);
        var patch = Assert.Single(_host.Requests);
        Assert.Contains("\"active\"", patch.Body, StringComparison.Ordinal);
        Assert.Equal(ObjectStatus.Provisioned, (await _host.StateOfAsync(ada)).Status);
        var enableLog = await _host.LogOfAsync(enable);
        Assert.Equal(ProvisioningAction.Update, enableLog.Action);
        Assert.Equal(new ModifiedProperty("active", "false", "true"), Assert.Single(enableLog.ModifiedProperties));
    }

    [Fact]
    public async Task An_existing_account_is_adopted_and_only_what_differs_is_patched()
    {
        var seeded = _emulator.State.SeedUser(new AtlassianSeedUser
        {
            UserName = "grace@example.com",
            Emails = [new AtlassianMultiValue("grace@example.com", "work", true)],
            GivenName = "Grace",
            FamilyName = "Hopper",
            DisplayName = "Grace Hopper",
        });
        var grace = ReconciliationHost.User("u-grace", "grace@example.com", "Grace", "Hopper", jobTitle: "Rear Admiral");
        var item = _host.Upsert(grace);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        var user = Assert.Single(_emulator.State.LiveUsers);
        Assert.Equal(seeded.Id, user.Id);
        Assert.Equal("Rear Admiral", user.Attribute("title"));
        Assert.Equal(0, _emulator.Counters.Count("POST /Users"));
        Assert.Equal(1, _emulator.Counters.Count("PATCH /Users/{id}"));
        var patched = JsonDocument.Parse(_host.Requests.Single(r => r.Method == "PATCH").Body!).RootElement.GetProperty("Operations")
            .EnumerateArray().Select(op => op.GetProperty("path").GetString()).ToList();
        Assert.DoesNotContain("name.givenName", patched);
        Assert.DoesNotContain("userName", patched);
        Assert.Contains("title", patched);

        var state = await _host.StateOfAsync(grace);
        Assert.True(state.CreatedOrAdopted);
        Assert.Equal("userName", state.MatchedBy);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningAction.Update, log.Action);
        Assert.Equal(ProvisioningStatus.Success, log.Status);
        Assert.Contains(log.Steps, s => s.Type == ProvisioningStepType.Matching && s.Description.StartsWith("Matched User", StringComparison.Ordinal));
        Assert.Contains(log.Steps, s => s.Type == ProvisioningStepType.Export && s.Description.StartsWith("Adopted User", StringComparison.Ordinal));
        Assert.Contains(log.ModifiedProperties, p => p.DisplayName == "title" && p.OldValue is null && p.NewValue == "Rear Admiral");
        Assert.DoesNotContain(log.ModifiedProperties, p => p.DisplayName == "userName");
    }

    [Fact]
    public async Task Two_target_accounts_matching_one_user_fail_with_DuplicateTargetEntries_and_escrow()
    {
        foreach (var name in new[] { "first@example.com", "second@example.com" })
        {
            _emulator.State.SeedUser(new AtlassianSeedUser { UserName = name, ExternalId = "u-dup", Emails = [new AtlassianMultiValue(name, "work", true)] });
        }

        await _host.WarmUpAsync(ReconciliationHost.ExternalIdJob);
        var dup = ReconciliationHost.User("u-dup", "dup@example.com");
        var item = _host.Upsert(dup, ReconciliationHost.ExternalIdJob);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Failed, outcome.Result);
        Assert.Contains("ScimSync adopts only a single match", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _emulator.Counters.Count("POST /Users"));
        Assert.Equal(2, _emulator.State.LiveUsers.Count);
        var state = await _host.StateOfAsync(dup, ReconciliationHost.ExternalIdJob);
        Assert.Equal(ObjectStatus.Escrowed, state.Status);
        Assert.Equal(1, state.EscrowCount);
        Assert.Equal(ScimFailureClassifier.DuplicateTargetEntries, state.LastError?.Code);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningStatus.Failure, log.Status);
        Assert.Equal(ScimFailureClassifier.DuplicateTargetEntries, log.Error?.ErrorCode);
        Assert.NotNull(log.Error?.RecommendedAction);
        Assert.Contains(log.Steps, s => s.Type == ProvisioningStepType.Matching && s.Status == ProvisioningStatus.Failure);
    }

    [Fact]
    public async Task A_user_deleted_in_the_target_behind_our_back_is_created_again_on_the_next_update()
    {
        await CreateAsync(ReconciliationHost.User("u-ada", "ada@example.com"));
        var oldId = Assert.Single(_emulator.State.LiveUsers).Id;
        using (var client = _emulator.CreateClient())
        {
            (await client.DeleteAsync($"Users/{oldId}")).EnsureSuccessStatusCode();
        }

        _host.ForgetRequests();
        var ada = ReconciliationHost.User("u-ada", "ada@example.com", jobTitle: "Countess");
        var item = _host.Upsert(ada);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        var recreated = Assert.Single(_emulator.State.LiveUsers);
        Assert.NotEqual(oldId, recreated.Id);
        Assert.Equal("Countess", recreated.Attribute("title"));
        Assert.Equal(1, _emulator.Counters.Count("PATCH /Users/{id}"));
        Assert.Equal(1, _emulator.Counters.Count("POST /Users"));
        Assert.Equal(recreated.Id, (await _host.StateOfAsync(ada)).TargetId?.Value);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningAction.Create, log.Action);
        Assert.Equal(ProvisioningStatus.Warning, log.Status);
        Assert.Equal("ObjectVanished", log.Error?.ErrorCode);
        Assert.Contains("no longer exists in the target", log.Error?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_refused_with_409_because_the_account_appeared_meanwhile_adopts_it()
    {
        string? appeared = null;
        _host.BeforeSend = request =>
        {
            if (request.Method == HttpMethod.Post && appeared is null)
            {
                appeared = _emulator.State.SeedUser(new AtlassianSeedUser
                {
                    UserName = "ada@example.com",
                    Emails = [new AtlassianMultiValue("ada@example.com", "work", true)],
                }).Id;
            }

            return Task.CompletedTask;
        };
        var item = _host.Upsert(ReconciliationHost.User("u-ada", "ada@example.com"));

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        var user = Assert.Single(_emulator.State.LiveUsers);
        Assert.Equal(appeared, user.Id);
        Assert.Equal("Engineer", user.Attribute("title"));
        Assert.Equal(1, _emulator.Counters.Count("POST /Users"));
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningAction.Update, log.Action);
        Assert.Equal(ProvisioningStatus.Success, log.Status);
        Assert.Contains(log.Steps, s => s.Name == "EntryConflictResolved");
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task The_same_item_delivered_twice_at_once_and_again_later_creates_one_account()
    {
        var item = _host.Upsert(ReconciliationHost.User("u-ada", "ada@example.com"));

        var outcomes = await Task.WhenAll(_host.NewProcessor().ProcessAsync(item), _host.NewProcessor().ProcessAsync(item));
        var again = await _host.Processor.ProcessAsync(item);

        Assert.Single(_emulator.State.LiveUsers);
        Assert.Equal(1, _emulator.Counters.Count("POST /Users"));
        Assert.Contains(outcomes, o => o.Result == WorkItemResult.Succeeded);
        Assert.All(outcomes, o => Assert.Contains(o.Result, new[] { WorkItemResult.Succeeded, WorkItemResult.Skipped, WorkItemResult.RetryLater }));
        Assert.Equal(WorkItemResult.Skipped, again.Result);
        var page = await _host.Logs.QueryAsync(new ProvisioningLogQuery(item.Job) { CycleId = item.CycleId, From = DateTimeOffset.UtcNow.AddHours(-1), To = DateTimeOffset.UtcNow.AddMinutes(1) });
        Assert.Equal(3, page.Entries.Count);
        Assert.Single(page.Entries, e => e.Action == ProvisioningAction.Create && e.Status == ProvisioningStatus.Success);
    }

    [Fact]
    public async Task An_email_taken_by_another_account_fails_with_the_targets_message_and_is_escrowed()
    {
        _emulator.State.SeedUser(new AtlassianSeedUser { UserName = "someone@example.com", Emails = [new AtlassianMultiValue("taken@example.com", "work", true)] });
        var ada = ReconciliationHost.User("u-ada", "ada@example.com", mail: "taken@example.com");
        var item = _host.Upsert(ada);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Failed, outcome.Result);
        Assert.Single(_emulator.State.LiveUsers);
        var state = await _host.StateOfAsync(ada);
        Assert.Equal(ObjectStatus.Escrowed, state.Status);
        Assert.Equal("EntryConflict", state.LastError?.Code);
        Assert.NotNull(state.NextRetryAt);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningStatus.Failure, log.Status);
        Assert.Equal("EntryConflict", log.Error?.ErrorCode);
        Assert.Contains("taken@example.com", log.Error?.Reason, StringComparison.Ordinal);
        Assert.Contains("409", log.Error?.AdditionalDetails, StringComparison.Ordinal);
        Assert.NotNull(log.Error?.RecommendedAction);
    }

    [Fact]
    public async Task Repeated_failures_wait_longer_and_a_successful_upsert_clears_the_escrow()
    {
        _emulator.State.SeedUser(new AtlassianSeedUser { UserName = "someone@example.com", Emails = [new AtlassianMultiValue("taken@example.com", "work", true)] });
        var failing = ReconciliationHost.User("u-ada", "ada@example.com", mail: "taken@example.com");
        Assert.Equal(WorkItemResult.Failed, (await _host.Processor.ProcessAsync(_host.Upsert(failing))).Result);
        var firstRetry = (await _host.StateOfAsync(failing)).NextRetryAt;
        Assert.Equal(WorkItemResult.Failed, (await _host.Processor.ProcessAsync(_host.Upsert(failing))).Result);
        var escrowed = await _host.StateOfAsync(failing);
        Assert.Equal(2, escrowed.EscrowCount);
        Assert.True(escrowed.NextRetryAt - firstRetry >= TimeSpan.FromMinutes(29), "the second failure waits longer than the first");

        var fixedItem = _host.Upsert(ReconciliationHost.User("u-ada", "ada@example.com"));
        var outcome = await _host.Processor.ProcessAsync(fixedItem);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        var state = await _host.StateOfAsync(failing);
        Assert.Equal(ObjectStatus.Provisioned, state.Status);
        Assert.Equal(0, state.EscrowCount);
        Assert.Null(state.LastError);
        Assert.Equal(ProvisioningAction.Create, (await _host.LogOfAsync(fixedItem)).Action);
    }

    [Fact]
    public async Task A_user_outside_the_verified_domains_is_skipped_as_InvalidDomain_without_a_request()
    {
        var item = _host.Upsert(ReconciliationHost.User("u-ext", "contractor@elsewhere.org"));

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Skipped, outcome.Result);
        Assert.Equal(0, _emulator.Counters.Total);
        Assert.Empty(_emulator.State.LiveUsers);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningStatus.Skipped, log.Status);
        Assert.Equal("InvalidDomain", log.Error?.ErrorCode);
        Assert.Contains("elsewhere.org", log.Error?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deprovisioning_an_account_ScimSync_did_not_create_or_adopt_is_skipped()
    {
        _emulator.State.SeedUser(new AtlassianSeedUser { UserName = "ada@example.com", Emails = [new AtlassianMultiValue("ada@example.com", "work", true)] });
        var item = _host.Deprovision(ReconciliationHost.User("u-ada", "ada@example.com", softDeleted: true));

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Skipped, outcome.Result);
        Assert.True(Assert.Single(_emulator.State.LiveUsers).Active);
        Assert.Equal(0, _emulator.Counters.Total);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningAction.Disable, log.Action);
        Assert.Equal(ProvisioningStatus.Skipped, log.Status);
        Assert.Contains("not created or adopted by ScimSync", log.Error?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_hard_deleted_in_the_source_is_deleted_when_the_policy_says_so_and_the_log_warns_it_is_final()
    {
        await _host.WarmUpAsync(ReconciliationHost.DeletingJob);
        var ada = ReconciliationHost.User("u-ada", "ada@example.com");
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(ada, ReconciliationHost.DeletingJob))).Result);
        _host.ForgetRequests();
        var item = _host.Delete(ada, ReconciliationHost.DeletingJob);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        Assert.Empty(_emulator.State.LiveUsers);
        Assert.Equal(1, _emulator.Counters.Count("DELETE /Users/{id}"));
        Assert.Equal(ObjectStatus.Deleted, (await _host.StateOfAsync(ada, ReconciliationHost.DeletingJob)).Status);
        var log = await _host.LogOfAsync(item);
        Assert.Equal(ProvisioningAction.Delete, log.Action);
        Assert.Equal(ProvisioningStatus.Success, log.Status);
        Assert.Contains(log.Steps, s => s.Type == ProvisioningStepType.Export && s.Description.Contains("cannot undo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hard_delete_under_the_default_policy_only_disables()
    {
        var ada = ReconciliationHost.User("u-ada", "ada@example.com");
        await CreateAsync(ada);
        var item = _host.Delete(ada);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        Assert.False(Assert.Single(_emulator.State.LiveUsers).Active);
        Assert.Equal(0, _emulator.Counters.Count("DELETE /Users/{id}"));
        Assert.Equal(ProvisioningAction.Disable, (await _host.LogOfAsync(item)).Action);
    }

    [Fact]
    public async Task An_unavailable_target_makes_the_item_wait_without_counting_against_it_and_a_refused_key_quarantines()
    {
        _emulator.Faults.FailNext(10, 503);
        var busy = _host.Upsert(ReconciliationHost.User("u-ada", "ada@example.com"));

        var retry = await _host.Processor.ProcessAsync(busy);

        Assert.Equal(WorkItemResult.TargetUnavailable, retry.Result);
        var busyLog = await _host.LogOfAsync(busy);
        Assert.Equal(ProvisioningStatus.Failure, busyLog.Status);
        Assert.Equal("InternalServerError", busyLog.Error?.ErrorCode);
        Assert.Equal(ProvisioningErrorCategory.NonServiceFailure, busyLog.Error?.Category);
        Assert.Equal(0, (await _host.Progress.GetAsync(busy.Job, busy.CycleId)).Finished);
        _emulator.Faults.Reset();

        var refused = _host.Upsert(ReconciliationHost.User("u-ada", "ada@example.com"), ReconciliationHost.WrongKeyJob);
        var unauthorized = await _host.Processor.ProcessAsync(refused);

        Assert.Equal(WorkItemResult.Unauthorized, unauthorized.Result);
        Assert.Equal("Unauthorized", (await _host.LogOfAsync(refused)).Error?.ErrorCode);
        Assert.Empty(_emulator.State.LiveUsers);
    }

    [Fact]
    public async Task A_throttled_target_hands_its_Retry_After_to_the_worker_instead_of_holding_it()
    {
        _emulator.Faults.ThrottleNext(1, TimeSpan.FromSeconds(90));
        var item = _host.Upsert(ReconciliationHost.User("u-ada", "ada@example.com"));

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.TargetUnavailable, outcome.Result);
        Assert.NotNull(outcome.RetryAfter);
        Assert.InRange(outcome.RetryAfter.Value, TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(90));
        Assert.Empty(_emulator.State.LiveUsers);
        var log = await _host.LogOfAsync(item);
        Assert.Equal("TooManyRequests", log.Error?.ErrorCode);
        Assert.Null((await _host.Objects.GetAsync(item.Job, item.Kind, item.SourceId))?.Value.LastError);
    }

    [Fact]
    public async Task An_item_of_a_job_not_in_the_job_file_fails_with_a_clear_reason()
    {
        var item = WorkItem.Upsert(new JobId("retired"), "cycle-1", ReconciliationHost.User("u-ada", "ada@example.com"), DateTimeOffset.UtcNow);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.Failed, outcome.Result);
        Assert.Contains("'retired', which is not in the job file", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal("UnknownJob", (await _host.LogOfAsync(item)).Error?.ErrorCode);
    }

    [Fact]
    public async Task The_plan_of_a_new_user_says_create_and_writes_nothing()
    {
        var ada = ReconciliationHost.User("u-ada", "ada@example.com");

        var plan = await _host.Planner.PlanAsync(_host.Upsert(ada));

        Assert.Equal(ProvisioningAction.Create, plan.Action);
        Assert.True(plan.WouldWrite);
        Assert.Contains(plan.ModifiedProperties, p => p.DisplayName == "userName" && p.NewValue == "ada@example.com");
        Assert.All(_host.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Empty(_emulator.State.LiveUsers);
        Assert.Null(await _host.Objects.GetAsync(ReconciliationHost.Job, ada.Kind, ada.Id));

        await CreateAsync(ada);
        var update = await _host.Planner.PlanAsync(_host.Upsert(ReconciliationHost.User("u-ada", "ada@example.com", jobTitle: "Countess")));
        Assert.Equal(ProvisioningAction.Update, update.Action);
        Assert.Equal(new ModifiedProperty("title", "Engineer", "Countess"), Assert.Single(update.ModifiedProperties));
        Assert.Equal(0, _emulator.Counters.Total);
        Assert.Equal("Engineer", Assert.Single(_emulator.State.LiveUsers).Attribute("title"));
    }

    private async Task CreateAsync(ScimSync.Core.Directory.SourceObject user)
    {
        Assert.Equal(WorkItemResult.Succeeded, (await _host.Processor.ProcessAsync(_host.Upsert(user))).Result);
        _host.ForgetRequests();
    }
}
