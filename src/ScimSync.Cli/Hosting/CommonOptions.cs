using System.CommandLine;

namespace ScimSync.Cli.Hosting;

/// <summary>How a command prints its result.</summary>
public enum OutputFormat
{
    Table,
    Json,
}

/// <summary>Options several commands share; each command gets its own instance.</summary>
public static class CommonOptions
{
    public static Option<string?> Job(string description = "The job id (default: every job, or the only one).") => new("--job")
    {
        Description = description,
        HelpName = "id",
    };

    public static Option<OutputFormat> Format() => new("--format")
    {
        Description = "table (for people) or json (for scripts).",
        DefaultValueFactory = _ => OutputFormat.Table,
    };
}
