using System.Diagnostics;
using System.Text;

namespace BuildImages.Tasks.Tests;

/// <summary>
/// A child process whose output lines are collected as they come, so a test can wait for a line (a process that has
/// reached a lock) instead of counting on another process being slow.
/// </summary>
internal sealed class StreamedProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _stdoutDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal StreamedProcess(string directory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Add(e.Data, _stdoutDone);
        _process.ErrorDataReceived += (_, e) => Add(e.Data, _stderrDone);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything printed so far, both streams, in the order it came.</summary>
    internal string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits until a line contains <paramref name="text"/>; fails the test if the process ends first or after <paramref name="limit"/> (a generous bound, not a race).</summary>
    internal void WaitForLine(string text, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(_stdoutDone.Task.IsCompleted && _stderrDone.Task.IsCompleted, $"the process ended without printing '{text}':\n{Output}");
            Assert.True(clock.Elapsed < limit, $"no '{text}' within {limit}:\n{Output}");
            Thread.Sleep(50);
        }
    }

    /// <summary>Waits for the process to end and returns its exit code and whole output.</summary>
    internal async Task<(int Code, string Output)> ExitAsync()
    {
        await _process.WaitForExitAsync();
        await Task.WhenAll(_stdoutDone.Task, _stderrDone.Task);
        return (_process.ExitCode, Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private void Add(string? line, TaskCompletionSource done)
    {
        if (line is null)
        {
            done.TrySetResult();
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
