using Spectre.Console;

namespace ScimSync.Cli.Hosting;

/// <summary>Where a command writes: results to <see cref="Output"/>, problems to <see cref="Error"/>.</summary>
public sealed record CliEnvironment(IAnsiConsole Output, IAnsiConsole Error)
{
    /// <summary>Writes text as it is (no markup, no wrapping): JSON and anything a script reads.</summary>
    public void WriteRaw(string text) => Output.Profile.Out.Writer.WriteLine(text);
}
