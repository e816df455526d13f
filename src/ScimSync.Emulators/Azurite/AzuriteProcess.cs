using System.Diagnostics;
using System.Text;

namespace ScimSync.Emulators.Azurite;

/// <summary>
/// Azurite (Azure Storage emulator) started from node_modules, in memory, on free loopback ports.
/// Disposing stops the process and everything it stored.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountName = "devstoreaccount1";

    // Azurite's fixed, publicly documented development account key.
    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly DirectoryInfo _workspace;

    private AzuriteProcess(Process process, StringBuilder output, DirectoryInfo workspace, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _output = output;
        _workspace = workspace;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    public static async Task<AzuriteProcess> StartAsync(
        string? nodeModules = null, TimeSpan? startTimeout = null, CancellationToken cancellationToken = default)
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
            var started = Start(node, script);
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

    private static AzuriteProcess Start(string node, string script)
    {
        int blob = FreePort.Next(), queue = FreePort.Next(), table = FreePort.Next();
        var workspace = Directory.CreateTempSubdirectory("azurite-");
        var info = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workspace.FullName,
        };
        foreach (var argument in new[]
                 {
                     script, "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", blob.ToString(), "--queuePort", queue.ToString(), "--tablePort", table.ToString(),
                 })
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
        return new AzuriteProcess(process, output, workspace, blob, queue, table);
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
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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
