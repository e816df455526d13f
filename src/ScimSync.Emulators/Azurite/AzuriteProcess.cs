using System.Diagnostics;
using System.Text;

namespace ScimSync.Emulators.Azurite;

/// <summary>
/// Azurite (Azure Storage emulator) started from node_modules on free loopback ports, in memory or with its store in
/// a temporary folder (which survives <see cref="RestartAsync"/>). Disposing stops the process and deletes what it stored.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountName = "devstoreaccount1";

    // Azurite's fixed, publicly documented development account key.
    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly StringBuilder _output;
    private readonly DirectoryInfo _workspace;
    private readonly string _node;
    private readonly string _script;
    private Process _process;

    private AzuriteProcess(Process process, StringBuilder output, DirectoryInfo workspace, string node, string script, bool persistent,
        int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _node = node;
        _script = script;
        Persistent = persistent;
        _output = output;
        _workspace = workspace;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>Whether the store is kept on disk (<c>--location</c>) rather than in memory.</summary>
    public bool Persistent { get; }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>The processor time Azurite has used since it started, to tell a run bound by it from one bound by its client.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <param name="persistent">True to keep the store on disk, so a <see cref="RestartAsync"/> finds it again.</param>
    public static async Task<AzuriteProcess> StartAsync(
        string? nodeModules = null, TimeSpan? startTimeout = null, bool persistent = false, CancellationToken cancellationToken = default)
    {
        var node = NodeTooling.FindNode();
        var modules = nodeModules ?? NodeTooling.FindNodeModules();
        var script = Path.Combine(modules, "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed at '{script}'. Run 'npm ci' in the repository root.");
        }

        var timeout = startTimeout ?? TimeSpan.FromSeconds(60);
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var workspace = Directory.CreateTempSubdirectory("azurite-");
            var started = Start(node, script, workspace, persistent, FreePort.Next(), FreePort.Next(), FreePort.Next());
            try
            {
                await started.WaitUntilListeningAsync(timeout, cancellationToken);
                return started;
            }
            catch (InvalidOperationException) when (attempt < attempts)
            {
                // A port picked as free may have been taken in between: try other ports.
                await started.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Stops the process as a host shutdown does (SIGTERM, so Azurite writes its store out), waits
    /// <paramref name="downtime"/> (requests are refused meanwhile), and starts Azurite again on the same ports. A
    /// persistent store comes back as it was; an in-memory one comes back empty.
    /// </summary>
    public async Task RestartAsync(TimeSpan downtime, CancellationToken cancellationToken = default)
    {
        await StopProcessAsync(graceful: true);
        await Task.Delay(downtime, cancellationToken);
        var started = Start(_node, _script, _workspace, Persistent, BlobPort, QueuePort, TablePort);
        _process = started._process;
        await WaitUntilListeningAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    private static AzuriteProcess Start(string node, string script, DirectoryInfo workspace, bool persistent, int blob, int queue, int table)
    {
        var info = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workspace.FullName,
        };
        string[] store = persistent ? ["--location", workspace.FullName] : ["--inMemoryPersistence"];
        foreach (var argument in (string[])
                 [
                     script, .. store, "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", blob.ToString(), "--queuePort", queue.ToString(), "--tablePort", table.ToString(),
                 ])
        {
            info.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AzuriteProcess(process, output, workspace, node, script, persistent, blob, queue, table);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before it listened:\n{Output}");
            }

            if (await FreePort.IsListeningAsync(BlobPort, cancellationToken)
                && await FreePort.IsListeningAsync(QueuePort, cancellationToken)
                && await FreePort.IsListeningAsync(TablePort, cancellationToken))
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new InvalidOperationException($"Azurite did not listen within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    private async Task StopProcessAsync(bool graceful = false)
    {
        if (graceful && !_process.HasExited && !OperatingSystem.IsWindows())
        {
            using var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // It did not stop in time: killed below.
            }
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        try
        {
            _workspace.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover empty temp folder is harmless.
        }
    }
}
