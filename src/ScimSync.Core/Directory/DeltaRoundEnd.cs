namespace ScimSync.Core.Directory;

/// <summary>How a delta round ended. Present only on the last batch of a round.</summary>
public abstract record DeltaRoundEnd;

/// <summary>
/// Every page of the round was read. Save <see cref="DeltaLink"/> as the watermark only after the round's changes
/// are durably handled; the next round starts from it.
/// </summary>
public sealed record DeltaRoundCompleted(string DeltaLink) : DeltaRoundEnd;

/// <summary>
/// Graph no longer knows the stored token (400 <c>syncStateNotFound</c>, typically after 7 days) or asked for a full
/// synchronization (410 Gone). Discard the stored deltaLink and read from scratch; after that full read, objects the
/// job knows that the full read did not return were deleted meanwhile.
/// </summary>
public sealed record DeltaResyncRequired(string Reason) : DeltaRoundEnd;
