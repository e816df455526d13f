namespace ScimSync.Cli;

/// <summary>The exit codes scripts can rely on; also listed in <c>scimsync --help</c> and docs/operations.md.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The operation failed: a cycle aborted by a guard, items failed, a store or target unreachable.</summary>
    public const int Failed = 1;

    /// <summary>Usage or configuration error: unknown command or option, invalid job file or setting.</summary>
    public const int UsageOrConfiguration = 2;

    /// <summary>A job is quarantined or holds deletions: it needs an admin.</summary>
    public const int NeedsAdmin = 3;

    /// <summary>Cancelled with Ctrl+C before the operation finished.</summary>
    public const int Cancelled = 130;

    /// <summary>The table printed by <c>--help</c>.</summary>
    public const string HelpText =
        "Exit codes: 0 success; 1 the operation failed (a guard aborted the cycle, items failed, a service was unreachable); " +
        "2 usage or configuration error; 3 a job is quarantined or holds deletions (needs an admin); 130 cancelled (Ctrl+C).";
}
