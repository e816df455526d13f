namespace ScimSync.Core.State.Escrow;

/// <summary>How soon an object that failed for a non-transient reason is retried.</summary>
public sealed class EscrowPolicyOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string DefaultSectionPath = "ScimSync:Escrow";

    /// <summary>Wait after the first failure. Zero means "the next cycle", like Entra.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Wait after the second failure; each further failure doubles it.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The longest wait between retries (Entra settles on once a day).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(24);
}
