namespace ScimSync.Cli.Hosting;

/// <summary>The command line asks for something that cannot work (exit code 2); the message says how to fix it.</summary>
public sealed class CliUsageException(string message) : Exception(message);
