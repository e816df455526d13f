using System.CommandLine;

namespace ScimSync.Cli.Hosting;

/// <summary>Options every command accepts: where the job file and the extra settings are.</summary>
public static class GlobalOptions
{
    public static Option<FileInfo?> Jobs { get; } = new("--jobs")
    {
        Description = "The job file. Default: the ScimSync:JobsFile setting, else ./jobs.json.",
        HelpName = "file",
        Recursive = true,
    };

    public static Option<FileInfo[]> Settings { get; } = new("--settings")
    {
        Description = "A JSON settings file (connection strings, the app settings that hold tokens). Repeat for several; later files win.",
        HelpName = "file",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };
}
