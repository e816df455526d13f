using System.CommandLine;
using ScimSync.Cli.Hosting;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary><c>scimsync emulate atlassian|graph</c>: runs a local stand-in on loopback until Ctrl+C.</summary>
public static class EmulateCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("emulate", "Run a local stand-in for Atlassian Cloud SCIM or Microsoft Graph on 127.0.0.1 until Ctrl+C.");
        command.Subcommands.Add(Atlassian(environment));
        command.Subcommands.Add(Graph(environment));
        return command;
    }

    private static Option<int> Port() => new("--port")
    {
        Description = "The loopback port (0 picks a free one).",
        DefaultValueFactory = _ => 0,
    };

    private static Command Atlassian(CliEnvironment environment)
    {
        var port = Port();
        var seed = new Option<FileInfo?>("--seed") { Description = "Users, groups and accounts to start with (JSON).", HelpName = "file" };
        var key = new Option<string?>("--key") { Description = "The directory API key clients must send (default: a random one).", HelpName = "key" };
        var directoryId = new Option<string?>("--directory-id") { Description = "The directory id in the base URL.", HelpName = "id" };
        var command = new Command("atlassian", "An Atlassian Cloud-compatible SCIM server (user provisioning API).") { port, seed, key, directoryId };
        command.SetAction((parseResult, cancellationToken) => CommandActions.RunAsync(environment, async token =>
        {
            var options = new AtlassianEmulatorOptions
            {
                Port = parseResult.GetValue(port),
                ApiKey = parseResult.GetValue(key),
                Seed = parseResult.GetValue(seed) is { } file ? LoadAtlassianSeed(file) : null,
            };
            if (parseResult.GetValue(directoryId) is { } id)
            {
                options.DirectoryId = id;
            }

            await using var emulator = await StartAsync(() => AtlassianScimEmulator.StartAsync(options, token));
            var grid = new Grid().AddColumn().AddColumn()
                .AddRow("SCIM base URL", Markup.Escape(emulator.BaseUrl))
                .AddRow("API key", Markup.Escape(emulator.ApiKey));
            environment.Output.MarkupLine("[green]Atlassian SCIM emulator running.[/] Press Ctrl+C to stop.");
            environment.Output.Write(grid);
            return await WaitForCtrlCAsync(environment, token);
        }, cancellationToken));
        return command;
    }

    private static Command Graph(CliEnvironment environment)
    {
        var port = Port();
        var seed = new Option<FileInfo?>("--seed") { Description = "The tenant to serve (docs/demo-directory.md), e.g. samples/demo-directory.json.", HelpName = "file" };
        var command = new Command("graph", "A Microsoft Graph v1.0 delta server over a seeded tenant, with an admin API under /_admin.") { port, seed };
        command.SetAction((parseResult, cancellationToken) => CommandActions.RunAsync(environment, async token =>
        {
            var options = new GraphEmulatorOptions
            {
                Port = parseResult.GetValue(port),
                Seed = parseResult.GetValue(seed) is { } file ? LoadGraphSeed(file) : null,
                AllowAnonymous = true,
            };
            await using var emulator = await StartAsync(() => GraphEmulator.StartAsync(options, token));
            var snapshot = emulator.Snapshot();
            var grid = new Grid().AddColumn().AddColumn()
                .AddRow("Graph base URL", Markup.Escape(emulator.BaseUrl))
                .AddRow("Admin API", Markup.Escape(emulator.AdminUrl))
                .AddRow("Tenant", Markup.Escape($"{emulator.Tenant.TenantDisplayName} ({emulator.Tenant.TenantId})"))
                .AddRow("Service principal", Markup.Escape(emulator.Tenant.ServicePrincipal.Id))
                .AddRow("Objects", $"{snapshot.Users.Count} users, {snapshot.Groups.Count} groups, {snapshot.Assignments.Count} assignments");
            environment.Output.MarkupLine("[green]Graph emulator running[/] (no credential: use \"credential\": \"Anonymous\"). Press Ctrl+C to stop.");
            environment.Output.Write(grid);
            return await WaitForCtrlCAsync(environment, token);
        }, cancellationToken));
        return command;
    }

    private static AtlassianSeed LoadAtlassianSeed(FileInfo file)
    {
        try
        {
            return AtlassianSeed.Load(file.FullName);
        }
        catch (Exception error) when (error is IOException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new CliUsageException($"--seed: {error.Message}");
        }
    }

    private static DirectorySeed LoadGraphSeed(FileInfo file)
    {
        try
        {
            return DirectorySeedFile.Load(file.FullName);
        }
        catch (Exception error) when (error is IOException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new CliUsageException($"--seed: {error.Message}");
        }
    }

    private static async Task<T> StartAsync<T>(Func<Task<T>> start)
    {
        try
        {
            return await start();
        }
        catch (IOException busy)
        {
            throw new CliUsageException($"--port: the emulator could not listen: {busy.Message}");
        }
    }

    // Ctrl+C is how an emulator is meant to stop, so it ends with success.
    private static async Task<int> WaitForCtrlCAsync(CliEnvironment environment, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            environment.Output.MarkupLine("Stopped.");
        }

        return ExitCodes.Success;
    }
}
