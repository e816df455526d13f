using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScimSync.Emulators.Graph;

namespace ScimSync.Bench.Sync;

/// <summary>
/// The Graph emulator serving the synthetic tenant from a process of its own (this program's <c>graph-emulator</c>
/// command), so that the benchmark's working set is the engine's and not that of the emulator's copy of a large
/// tenant, which no host of the engine holds.
/// </summary>
internal sealed class GraphEmulatorProcess : IAsyncDisposable
{
    public const string Command = "graph-emulator";

    private readonly Process _process;

    private GraphEmulatorProcess(Process process, Listening listening)
    {
        _process = process;
        BaseUrl = listening.BaseUrl;
        ServicePrincipalId = listening.ServicePrincipalId;
    }

    public string BaseUrl { get; }

    public int Port => new Uri(BaseUrl).Port;

    public string ServicePrincipalId { get; }

    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the emulator process with the tenant <see cref="SyntheticTenant.Build"/> makes of these sizes and seed.</summary>
    public static async Task<GraphEmulatorProcess> StartAsync(int users, int groups, long memberships, int randomSeed, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in (string[])[Command, Invariant(users), Invariant(groups), Invariant(memberships), Invariant(randomSeed)])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the Graph emulator process.");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken)
                ?? throw new InvalidOperationException($"The Graph emulator process exited ({process.ExitCode}) before it listened.");
            return new GraphEmulatorProcess(process, JsonSerializer.Deserialize<Listening>(line)!);
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>The <c>graph-emulator</c> command: serves the tenant until its standard input closes.</summary>
    public static async Task<int> ServeAsync(string[] args, TextWriter output, TextReader input)
    {
        if (args.Length != 4)
        {
            await Console.Error.WriteLineAsync($"usage: {Command} <users> <groups> <memberships> <seed>");
            return 2;
        }

        var numbers = args.Select(arg => long.Parse(arg, CultureInfo.InvariantCulture)).ToArray();
        var tenant = SyntheticTenant.Build((int)numbers[0], (int)numbers[1], numbers[2], (int)numbers[3]);
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = tenant.Seed, AllowAnonymous = true });
        await output.WriteLineAsync(JsonSerializer.Serialize(new Listening(emulator.BaseUrl, emulator.Tenant.ServicePrincipal.Id)));
        await output.FlushAsync();
        await input.ReadToEndAsync();
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Listening([property: JsonPropertyName("baseUrl")] string BaseUrl, [property: JsonPropertyName("servicePrincipalId")] string ServicePrincipalId);
}
