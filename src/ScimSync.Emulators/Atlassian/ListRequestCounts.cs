namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// The list requests (<c>GET /Users</c>, <c>GET /Groups</c>) the endpoints answered, told apart by whether they carried
/// a filter: a lookup of one value (<c>filter=userName eq "…"</c>), or a page of the whole list. Thread-safe.
/// </summary>
public sealed class ListRequestCounts
{
    private long _userLookups;
    private long _userPages;
    private long _groupLookups;
    private long _groupPages;

    /// <summary><c>GET /Users</c> with a filter.</summary>
    public long UserLookups => Interlocked.Read(ref _userLookups);

    /// <summary><c>GET /Users</c> without a filter.</summary>
    public long UserPages => Interlocked.Read(ref _userPages);

    /// <summary><c>GET /Groups</c> with a filter.</summary>
    public long GroupLookups => Interlocked.Read(ref _groupLookups);

    /// <summary><c>GET /Groups</c> without a filter.</summary>
    public long GroupPages => Interlocked.Read(ref _groupPages);

    /// <summary>Forgets every count.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _userLookups, 0);
        Interlocked.Exchange(ref _userPages, 0);
        Interlocked.Exchange(ref _groupLookups, 0);
        Interlocked.Exchange(ref _groupPages, 0);
    }

    internal void Record(bool groups, bool filtered)
    {
        if (groups)
        {
            Interlocked.Increment(ref filtered ? ref _groupLookups : ref _groupPages);
        }
        else
        {
            Interlocked.Increment(ref filtered ? ref _userLookups : ref _userPages);
        }
    }
}
