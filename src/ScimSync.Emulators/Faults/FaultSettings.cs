namespace ScimSync.Emulators.Faults;

/// <summary>
/// The faults an emulator injects, changeable at run time from a test while requests are in flight.
/// Two kinds: scheduled faults ("the next N requests", optionally scoped), which make tests deterministic and are
/// applied first; and standing settings (latency, a requests-per-second limit, random shares drawn from a seeded
/// <see cref="Random"/>), which shape load tests and demos. All members are thread-safe.
/// </summary>
public sealed class FaultSettings
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly List<ScheduledFault> _scheduled = [];
    private readonly Queue<DateTimeOffset> _admitted = new();
    private Random _random;
    private TimeSpan _latency;
    private TimeSpan _jitter;
    private int? _requestsPerSecond;
    private ThrottleHeaderStyle _throttleStyle;
    private double _serverErrorShare;
    private double _hangShare;
    private double _dropShare;
    private double _malformedShare;
    private FaultScope? _scope;

    /// <param name="seed">Seed of the random draws for the shares, so a run can be repeated.</param>
    /// <param name="timeProvider">Clock for latency and the rate limit; the system clock when null.</param>
    public FaultSettings(int seed = 20240601, TimeProvider? timeProvider = null)
    {
        _random = new Random(seed);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The clock used for latency and the rate limit.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>Fixed delay added before every answer (including throttled and failed ones).</summary>
    public TimeSpan Latency
    {
        get { lock (_gate) { return _latency; } }
        set { lock (_gate) { _latency = NotNegative(value, nameof(Latency)); } }
    }

    /// <summary>Extra random delay between zero and this value, added to <see cref="Latency"/>.</summary>
    public TimeSpan Jitter
    {
        get { lock (_gate) { return _jitter; } }
        set { lock (_gate) { _jitter = NotNegative(value, nameof(Jitter)); } }
    }

    /// <summary>
    /// Requests admitted in any sliding one-second window; the rest get 429 with a throttle header saying when a slot
    /// frees up. Null means no limit. Only requests in <see cref="Scope"/> count and are limited.
    /// </summary>
    public int? RequestsPerSecond
    {
        get { lock (_gate) { return _requestsPerSecond; } }
        set
        {
            if (value is <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(RequestsPerSecond), value, "The limit must be at least 1 request per second, or null for no limit.");
            }

            lock (_gate)
            {
                _requestsPerSecond = value;
                _admitted.Clear();
            }
        }
    }

    /// <summary>The header style of 429 answers (rate limit and <see cref="ThrottleNext"/>).</summary>
    public ThrottleHeaderStyle ThrottleStyle
    {
        get { lock (_gate) { return _throttleStyle; } }
        set { lock (_gate) { _throttleStyle = value; } }
    }

    /// <summary>Share (0..1) of requests answered 500 or 503 (alternately drawn) without reaching the emulator.</summary>
    public double ServerErrorShare
    {
        get { lock (_gate) { return _serverErrorShare; } }
        set { lock (_gate) { _serverErrorShare = Share(value, nameof(ServerErrorShare), _hangShare + _dropShare + _malformedShare); } }
    }

    /// <summary>Share (0..1) of requests never answered, until the client gives up or the emulator stops.</summary>
    public double HangShare
    {
        get { lock (_gate) { return _hangShare; } }
        set { lock (_gate) { _hangShare = Share(value, nameof(HangShare), _serverErrorShare + _dropShare + _malformedShare); } }
    }

    /// <summary>Share (0..1) of requests whose connection is aborted without a response, before processing.</summary>
    public double DropShare
    {
        get { lock (_gate) { return _dropShare; } }
        set { lock (_gate) { _dropShare = Share(value, nameof(DropShare), _serverErrorShare + _hangShare + _malformedShare); } }
    }

    /// <summary>Share (0..1) of requests processed normally but answered 200 with a truncated, invalid JSON body.</summary>
    public double MalformedShare
    {
        get { lock (_gate) { return _malformedShare; } }
        set { lock (_gate) { _malformedShare = Share(value, nameof(MalformedShare), _serverErrorShare + _hangShare + _dropShare); } }
    }

    /// <summary>Requests the standing settings (rate limit and shares, not latency) apply to; null means all.</summary>
    public FaultScope? Scope
    {
        get { lock (_gate) { return _scope; } }
        set { lock (_gate) { _scope = value; } }
    }

    /// <summary>Scheduled faults not yet used up.</summary>
    public int PendingScheduledFaults
    {
        get { lock (_gate) { return _scheduled.Sum(fault => fault.Remaining); } }
    }

    /// <summary>Answers the next <paramref name="count"/> requests in scope with <paramref name="statusCode"/> (5xx).</summary>
    public void FailNext(int count, int statusCode = 503, FaultScope? scope = null)
    {
        if (statusCode is < 500 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "Injected failures are server errors (500-599); use ThrottleNext for 429.");
        }

        Schedule(new ScheduledFault(FaultKind.Fail, Positive(count), scope) { StatusCode = statusCode });
    }

    /// <summary>Answers the next <paramref name="count"/> requests in scope with 429, asking to retry after <paramref name="retryAfter"/>.</summary>
    /// <param name="style">Header style for these answers; <see cref="ThrottleStyle"/> when null.</param>
    public void ThrottleNext(int count, TimeSpan retryAfter, FaultScope? scope = null, ThrottleHeaderStyle? style = null) =>
        Schedule(new ScheduledFault(FaultKind.Throttle, Positive(count), scope)
        {
            RetryAfter = NotNegative(retryAfter, nameof(retryAfter)),
            Style = style,
        });

    /// <summary>Never answers the next <paramref name="count"/> requests in scope.</summary>
    /// <param name="afterProcessing">
    /// True to let the emulator carry the request out first, so the change happens and the client waits for an answer
    /// that never comes, as when a worker dies between the target's write and its own.
    /// </param>
    public void HangNext(int count, FaultScope? scope = null, bool afterProcessing = false) =>
        Schedule(new ScheduledFault(afterProcessing ? FaultKind.HangAfterProcessing : FaultKind.Hang, Positive(count), scope));

    /// <summary>Aborts the connection of the next <paramref name="count"/> requests in scope without a response.</summary>
    /// <param name="afterProcessing">
    /// True to let the emulator carry the request out first, so the change happens but the client never learns of it.
    /// </param>
    public void DropNext(int count, FaultScope? scope = null, bool afterProcessing = false) =>
        Schedule(new ScheduledFault(afterProcessing ? FaultKind.DropAfterProcessing : FaultKind.Drop, Positive(count), scope));

    /// <summary>Processes the next <paramref name="count"/> requests in scope but answers 200 with a truncated JSON body.</summary>
    public void MalformNext(int count, FaultScope? scope = null) =>
        Schedule(new ScheduledFault(FaultKind.Malform, Positive(count), scope));

    /// <summary>
    /// Processes the next <paramref name="count"/> requests in scope and answers 200 with the resource's JSON without its
    /// <c>id</c>, as a target does whose answer the client cannot link to anything.
    /// </summary>
    public void AnswerWithoutIdNext(int count, FaultScope? scope = null) =>
        Schedule(new ScheduledFault(FaultKind.OmitId, Positive(count), scope));

    /// <summary>
    /// Ignores the next <paramref name="count"/> requests in scope: nothing is carried out, and the answer is a 200 with
    /// the resource as it stands, as a target does that acknowledges a PATCH and keeps nothing of it.
    /// </summary>
    public void IgnoreNext(int count, FaultScope? scope = null) =>
        Schedule(new ScheduledFault(FaultKind.Ignore, Positive(count), scope));

    /// <summary>
    /// Ignores the next <paramref name="count"/> requests in scope and answers 204 No Content, as a target does that
    /// acknowledges a PATCH without a body and keeps nothing of it: only reading the resource back shows it.
    /// </summary>
    public void IgnoreNextWithNoContent(int count, FaultScope? scope = null) =>
        Schedule(new ScheduledFault(FaultKind.IgnoreNoContent, Positive(count), scope));

    /// <summary>Removes every fault: scheduled ones, latency, the rate limit and its window, shares and scope.</summary>
    /// <param name="seed">Reseeds the random draws when given.</param>
    public void Reset(int? seed = null)
    {
        lock (_gate)
        {
            _scheduled.Clear();
            _admitted.Clear();
            _latency = _jitter = TimeSpan.Zero;
            _requestsPerSecond = null;
            _serverErrorShare = _hangShare = _dropShare = _malformedShare = 0;
            _scope = null;
            if (seed is { } value)
            {
                _random = new Random(value);
            }
        }
    }

    internal FaultDecision Decide(string method, string route)
    {
        lock (_gate)
        {
            var delay = _latency + (_jitter > TimeSpan.Zero ? _jitter * _random.NextDouble() : TimeSpan.Zero);

            var scheduled = _scheduled.FirstOrDefault(fault => fault.Scope?.Matches(method, route) ?? true);
            if (scheduled is not null)
            {
                scheduled.Remaining--;
                if (scheduled.Remaining == 0)
                {
                    _scheduled.Remove(scheduled);
                }

                return new FaultDecision(delay, scheduled.Kind, scheduled.StatusCode, scheduled.RetryAfter, scheduled.Style ?? _throttleStyle);
            }

            if (_scope is not null && !_scope.Matches(method, route))
            {
                return new FaultDecision(delay, FaultKind.None);
            }

            if (_requestsPerSecond is { } limit)
            {
                var now = _time.GetUtcNow();
                while (_admitted.Count > 0 && now - _admitted.Peek() >= TimeSpan.FromSeconds(1))
                {
                    _admitted.Dequeue();
                }

                if (_admitted.Count >= limit)
                {
                    var slotFrees = _admitted.Peek() + TimeSpan.FromSeconds(1) - now;
                    return new FaultDecision(delay, FaultKind.Throttle, 429, slotFrees, _throttleStyle, limit);
                }

                _admitted.Enqueue(now);
            }

            var draw = _random.NextDouble();
            if ((draw -= _dropShare) < 0)
            {
                return new FaultDecision(delay, FaultKind.Drop);
            }

            if ((draw -= _hangShare) < 0)
            {
                return new FaultDecision(delay, FaultKind.Hang);
            }

            if ((draw -= _serverErrorShare) < 0)
            {
                return new FaultDecision(delay, FaultKind.Fail, _random.Next(2) == 0 ? 500 : 503);
            }

            return (draw -= _malformedShare) < 0
                ? new FaultDecision(delay, FaultKind.Malform)
                : new FaultDecision(delay, FaultKind.None);
        }
    }

    private void Schedule(ScheduledFault fault)
    {
        lock (_gate)
        {
            _scheduled.Add(fault);
        }
    }

    private static int Positive(int count) =>
        count > 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "The number of requests must be at least 1.");

    private static TimeSpan NotNegative(TimeSpan value, string name) =>
        value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} cannot be negative.");

    private static double Share(double value, string name, double otherShares)
    {
        if (double.IsNaN(value) || value is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is a share between 0 and 1.");
        }

        return value + otherShares <= 1
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} plus the other fault shares would exceed 1 (the others add up to {otherShares}).");
    }

    private sealed class ScheduledFault(FaultKind kind, int remaining, FaultScope? scope)
    {
        public FaultKind Kind { get; } = kind;

        public FaultScope? Scope { get; } = scope;

        public int Remaining { get; set; } = remaining;

        public int StatusCode { get; init; }

        public TimeSpan RetryAfter { get; init; }

        public ThrottleHeaderStyle? Style { get; init; }
    }
}
