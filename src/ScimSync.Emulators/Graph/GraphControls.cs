namespace ScimSync.Emulators.Graph;

/// <summary>
/// Switches a test or the admin API flips to make the emulator answer as Graph does when things go wrong:
/// expired delta tokens, a forced resync (410 Gone), and missing permissions (403).
/// </summary>
public sealed class GraphControls
{
    private int _tokenGeneration;
    private volatile bool _respondGone;
    private volatile string? _deniedPermission;

    /// <summary>Tokens carry the generation they were issued in; older generations are expired.</summary>
    public int TokenGeneration => Volatile.Read(ref _tokenGeneration);

    /// <summary>
    /// While true, every delta request that carries a <c>$deltatoken</c> or <c>$skiptoken</c> gets <c>410 Gone</c> with a
    /// <c>Location</c> header for a fresh full synchronization.
    /// </summary>
    public bool RespondGone
    {
        get => _respondGone;
        set => _respondGone = value;
    }

    /// <summary>While set, every Graph request gets 403 Authorization_RequestDenied naming this permission.</summary>
    public string? DeniedPermission
    {
        get => _deniedPermission;
        set => _deniedPermission = value;
    }

    /// <summary>Makes every delta and skip token issued so far invalid: 400 <c>syncStateNotFound</c> on use.</summary>
    public void ExpireAllTokens() => Interlocked.Increment(ref _tokenGeneration);
}
