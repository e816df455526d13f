using ScimSync.Core.Logging;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State.Progress;

namespace ScimSync.Core.Tests.Reconciliation;

public sealed class WorkItemOutcomeTests
{
    [Theory]
    [InlineData(WorkItemResult.Succeeded, ItemOutcome.Done)]
    [InlineData(WorkItemResult.Skipped, ItemOutcome.Skipped)]
    [InlineData(WorkItemResult.Failed, ItemOutcome.Failed)]
    public void Finished_items_count_in_the_cycles_progress(WorkItemResult result, ItemOutcome expected) =>
        Assert.Equal(expected, WorkItemProcessor.ProgressOf(result));

    [Theory]
    [InlineData(WorkItemResult.RetryLater)]
    [InlineData(WorkItemResult.Unauthorized)]
    public void Items_to_be_retried_are_not_counted_as_finished(WorkItemResult result) =>
        Assert.Null(WorkItemProcessor.ProgressOf(result));

    [Fact]
    public void An_error_becomes_the_outcome_the_worker_acts_on_and_the_entry_an_admin_reads()
    {
        var error = new ReconciliationError(WorkItemResult.Failed, "EntryConflict", "The email is taken.", "Free the email.", "POST Users: 409");

        var outcome = error.ToOutcome();
        var logged = error.ToLogError();

        Assert.Equal(new WorkItemOutcome(WorkItemResult.Failed, "The email is taken."), outcome);
        Assert.Equal(new ProvisioningErrorInfo("EntryConflict", "The email is taken.", "Free the email.", "POST Users: 409", ProvisioningErrorCategory.Failure), logged);
        Assert.True(error.Escrows);
    }
}
