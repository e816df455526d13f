using System.Net;
using ScimSync.Core.Logging;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Tests.Reconciliation;

public sealed class ScimFailureClassifierTests
{
    private static ScimException Error(HttpStatusCode? status, string? scimType = null, string? detail = null, bool outcomeUnknown = false) =>
        new(status is { } s ? ScimException.Classify(s) : ScimErrorClassification.Transient, "POST", "Users", status, scimType, detail, "trace-1", outcomeUnknown);

    [Fact]
    public void A_throttled_request_retries_later_after_the_delay_the_target_asked_for()
    {
        var error = new ScimException(ScimErrorClassification.Transient, "PATCH", "Users/1", HttpStatusCode.TooManyRequests, null, "slow down", null)
        {
            RetryAfter = TimeSpan.FromSeconds(42),
        };

        var classified = ScimFailureClassifier.Classify(error, "updating User 'ada'");

        Assert.Equal(WorkItemResult.TargetUnavailable, classified.Result);
        Assert.Equal("TooManyRequests", classified.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(42), classified.ToOutcome().RetryAfter);
        Assert.False(classified.Escrows);
        Assert.Equal(ProvisioningErrorCategory.NonServiceFailure, classified.ToLogError().Category);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "InternalServerError", WorkItemResult.RetryLater)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "InternalServerError", WorkItemResult.TargetUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout, "Timeout", WorkItemResult.TargetUnavailable)]
    [InlineData(null, "Timeout", WorkItemResult.RetryLater)]
    public void Server_failures_and_timeouts_retry_later_without_escrow_and_an_unavailable_target_counts_no_attempt(HttpStatusCode? status, string code, WorkItemResult expected)
    {
        var classified = ScimFailureClassifier.Classify(Error(status), "creating User 'ada'");

        Assert.Equal(expected, classified.Result);
        Assert.Equal(code, classified.ErrorCode);
        Assert.Null(classified.RetryAfter);
        Assert.False(classified.Escrows);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "Unauthorized")]
    [InlineData(HttpStatusCode.Forbidden, "InsufficientRights")]
    public void A_refused_credential_quarantines_the_job(HttpStatusCode status, string code)
    {
        var classified = ScimFailureClassifier.Classify(Error(status), "creating User 'ada'");

        Assert.Equal(WorkItemResult.Unauthorized, classified.Result);
        Assert.Equal(code, classified.ErrorCode);
        Assert.Contains("token", classified.RecommendedAction, StringComparison.Ordinal);
        Assert.False(classified.Escrows);
    }

    [Fact]
    public void A_taken_unique_value_fails_with_the_targets_words_and_escrows()
    {
        var detail = "Resource [USER]: with email[ada@example.com] already exists.";

        var classified = ScimFailureClassifier.Classify(Error(HttpStatusCode.Conflict, "uniqueness", detail), "creating User 'ada'");

        Assert.Equal(WorkItemResult.Failed, classified.Result);
        Assert.True(classified.Escrows);
        Assert.Equal("EntryConflict", classified.ErrorCode);
        Assert.Contains(detail, classified.Reason, StringComparison.Ordinal);
        Assert.Contains("scimType uniqueness", classified.AdditionalDetails, StringComparison.Ordinal);
        Assert.Contains("trace id trace-1", classified.AdditionalDetails, StringComparison.Ordinal);
        Assert.NotNull(classified.RecommendedAction);
    }

    [Fact]
    public void Several_matches_reported_by_the_client_keep_Entras_code()
    {
        var classified = ScimFailureClassifier.Classify(Error(HttpStatusCode.Conflict, ScimFailureClassifier.DuplicateTargetEntries, "2 Users match"), "creating User 'ada'");

        Assert.Equal(WorkItemResult.Failed, classified.Result);
        Assert.Equal(ScimFailureClassifier.DuplicateTargetEntries, classified.ErrorCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "invalidValue", "InvalidRequest")]
    [InlineData(HttpStatusCode.BadRequest, "mutability", "SchemaPropertyCanOnlyAcceptValue")]
    [InlineData(HttpStatusCode.BadRequest, "invalidPath", "SchemaAttributeNotFound")]
    [InlineData(HttpStatusCode.UnprocessableEntity, null, "UnprocessableEntity")]
    [InlineData(HttpStatusCode.NotImplemented, null, "NotImplemented")]
    [InlineData(HttpStatusCode.NotFound, null, "InvalidAnchor")]
    public void Requests_the_target_rejects_fail_and_escrow(HttpStatusCode status, string? scimType, string code)
    {
        var error = new ScimException(ScimException.Classify(status), "PATCH", "Users/1", status, scimType, "no", null);

        var classified = ScimFailureClassifier.Classify(error, "updating User 'ada'");

        Assert.Equal(WorkItemResult.Failed, classified.Result);
        Assert.Equal(code, classified.ErrorCode);
        Assert.True(classified.Escrows);
        Assert.Contains("updating User 'ada'", classified.Reason, StringComparison.Ordinal);
    }
}
