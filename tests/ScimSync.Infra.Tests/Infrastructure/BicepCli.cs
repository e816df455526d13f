using System.Diagnostics;

namespace ScimSync.Infra.Tests.Infrastructure;

/// <summary>What one run of the Bicep CLI printed.</summary>
internal sealed record BicepRun(int ExitCode, string Output, string Errors)
{
    /// <summary>Every diagnostic line: Bicep prints errors and warnings alike on standard error.</summary>
    public IReadOnlyList<string> Diagnostics =>
        Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The Bicep CLI restored from the Azure.Bicep.CommandLine.linux-x64 package.</summary>
internal static class BicepCli
{
    public static BicepRun Run(params string[] arguments)
    {
        var executable = Repository.BicepExecutable;
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {executable}; restore tests/ScimSync.Infra.Tests to download it.");
        }

        // Package extraction does not always keep the execute bit.
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(executable, File.GetUnixFileMode(executable) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Infra,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Offline: no telemetry, no version check.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish in 3 minutes.");
        }

        return new BicepRun(process.ExitCode, output.Result, errors.Result);
    }
}
