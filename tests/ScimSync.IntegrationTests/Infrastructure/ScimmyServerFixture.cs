using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using ScimSync.Emulators.Azurite;

namespace ScimSync.IntegrationTests.Infrastructure;

/// <summary>
/// The scimmy-based SCIM server (tests/scimmy-server/server.mjs) on a free loopback port, started once per test
/// class and stopped afterwards. The server binds port 0 and reports the port the system gave it, so two runs never
/// race for the same port.
/// </summary>
public partial class ScimmyServerFixture : IAsyncLifetime
{
    private Process? _process;
    private readonly StringBuilder _output = new();

    /// <summary>The SCIM base URL, e.g. http://127.0.0.1:41234/scim/v2.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The bearer token the server accepts (random per run).</summary>
    public string Token { get; } = "scimmy-" + Guid.NewGuid().ToString("N");

    /// <summary>Extra server arguments, e.g. <c>--patch false</c>.</summary>
    protected virtual IEnumerable<string> Arguments => [];

    public async Task InitializeAsync()
    {
        var node = NodeTooling.FindNode();
        var modules = NodeTooling.FindNodeModules();
        (_process, BaseUrl) = await StartAsync(node, modules, Token, _output, TimeSpan.FromSeconds(30), Arguments);
    }

    /// <summary>Starts the server with the given Node.js executable; fails with an actionable message when anything is missing.</summary>
    internal static async Task<(Process Process, Uri BaseUrl)> StartAsync(
        string node, string nodeModules, string token, StringBuilder output, TimeSpan timeout, IEnumerable<string>? arguments = null)
    {
        if (!File.Exists(node))
        {
            throw new InvalidOperationException(
                $"Node.js was not found at '{node}'. The scimmy test server runs on Node.js: install Node.js 20 or later and put it on PATH.");
        }

        foreach (var package in new[] { "scimmy", "scimmy-routers", "express" })
        {
            if (!Directory.Exists(Path.Combine(nodeModules, package)))
            {
                throw new InvalidOperationException($"The npm package '{package}' is missing from '{nodeModules}'. Run 'npm ci' in the repository root.");
            }
        }

        var root = Path.GetDirectoryName(Path.GetFullPath(nodeModules.TrimEnd(Path.DirectorySeparatorChar)))!;
        var script = Path.Combine(root, "tests", "scimmy-server", "server.mjs");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"The scimmy test server script is missing at '{script}'.");
        }

        var info = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var argument in new[] { script, "--port", "0", "--token", token }.Concat(arguments ?? []))
        {
            info.ArgumentList.Add(argument);
        }

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            Append(output, e.Data);
            if (e.Data is { } line && ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The scimmy server exited before it listened:\n{Read(output)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var port = await listening.Task.WaitAsync(timeout);
            return (process, new Uri($"http://127.0.0.1:{port}/scim/v2"));
        }
        catch (TimeoutException)
        {
            Stop(process);
            throw new InvalidOperationException($"The scimmy server did not listen within {timeout.TotalSeconds:0} s:\n{Read(output)}");
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    public Task DisposeAsync()
    {
        if (_process is not null)
        {
            Stop(_process);
        }

        return Task.CompletedTask;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    [GeneratedRegex(@"^listening on (\d+)$")]
    private static partial Regex ListeningLine();
}
