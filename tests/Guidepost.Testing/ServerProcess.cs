using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Guidepost.Testing;

/// <summary>The real server as a separate OS process on a free loopback port, for what only a real
/// process shows: crash durability (kill -9), memory use, throughput over real sockets.</summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private ServerProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;
    public int Id => _process.Id;

    /// <summary>Everything the server printed so far (stdout and stderr).</summary>
    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>Starts <c>Guidepost.Server.dll</c> from beside the calling assembly and waits until it listens.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?> settings)
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "Guidepost.Server.dll");
        var start = new ProcessStartInfo("dotnet", [serverDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        start.Environment["GUIDEPOST__DATADIRECTORY"] = dataDirectory;
        start.Environment["GUIDEPOST__LISTEN"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;

        var server = new ServerProcess(Process.Start(start)!);
        server._process.OutputDataReceived += (_, line) => server.Read(line.Data);
        server._process.ErrorDataReceived += (_, line) => server.Read(line.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();

        var exited = server._process.WaitForExitAsync();
        var first = await Task.WhenAny(server._listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != server._listening.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"The server did not start listening:\n{server.Output}");
        }
        server.BaseAddress = await server._listening.Task;
        return server;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>SIGKILL: no shutdown code runs, exactly as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>The most memory the process ever held (VmHWM), in bytes; Linux only.</summary>
    public long PeakResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(Digits().Match(line).Value) * 1024;
    }

    private void Read(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (ListeningLine().Match(line) is { Success: true } match) _listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
