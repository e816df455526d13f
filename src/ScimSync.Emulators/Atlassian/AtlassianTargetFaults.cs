namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// Faults that need the directory itself rather than the request pipeline: a target that acknowledges and then
/// forgets, drops a value without a word, or pages wrongly. They reproduce what a drift scan has to find; change them
/// at any time. Thread-safe.
/// </summary>
public sealed class AtlassianTargetFaults
{
    private readonly Lock _gate = new();
    private int _loseUsers;
    private int _loseGroups;
    private string? _droppedAttribute;
    private int _drops;
    private bool _ignoresStartIndex;
    private int _totalResultsSkew;

    /// <summary>
    /// Lists answer from the first resource whatever <c>startIndex</c> asks for, and echo the asked start index, as a
    /// target does that ignores the parameter.
    /// </summary>
    public bool IgnoresStartIndex
    {
        get { lock (_gate) { return _ignoresStartIndex; } }
        set { lock (_gate) { _ignoresStartIndex = value; } }
    }

    /// <summary>Added to the true <c>totalResults</c> of every list (negative: the target under-reports).</summary>
    public int TotalResultsSkew
    {
        get { lock (_gate) { return _totalResultsSkew; } }
        set { lock (_gate) { _totalResultsSkew = value; } }
    }

    /// <summary>The next <paramref name="count"/> creates of users (or groups) answer 201 with the resource, and the resource is then gone (404 by id, absent from lists).</summary>
    public void LoseNextCreates(int count, bool groups = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            if (groups)
            {
                _loseGroups += count;
            }
            else
            {
                _loseUsers += count;
            }
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> user writes (POST, PUT, PATCH) that set <paramref name="attributePath"/> (a
    /// canonical path such as <c>title</c> or <c>name.givenName</c>) answer as though they kept it, and the stored user
    /// keeps its old value.
    /// </summary>
    public void DropAttributeNext(string attributePath, int count = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(attributePath);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _droppedAttribute = attributePath;
            _drops = count;
        }
    }

    /// <summary>Clears every fault.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _loseUsers = _loseGroups = _drops = _totalResultsSkew = 0;
            _droppedAttribute = null;
            _ignoresStartIndex = false;
        }
    }

    internal bool TakeLoss(bool group)
    {
        lock (_gate)
        {
            ref var remaining = ref group ? ref _loseGroups : ref _loseUsers;
            if (remaining == 0)
            {
                return false;
            }

            remaining--;
            return true;
        }
    }

    internal string? TakeDrop(Func<string, bool> sets)
    {
        lock (_gate)
        {
            if (_drops == 0 || _droppedAttribute is null || !sets(_droppedAttribute))
            {
                return null;
            }

            _drops--;
            return _droppedAttribute;
        }
    }
}
