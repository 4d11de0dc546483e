using System.Collections.Concurrent;
using System.Diagnostics;
using BuildImages.Core.Assets;

namespace BuildImages.Core.Imaging;

/// <summary>
/// Photos right-sized in child processes, one file at a time each, so a decoder that crashes (a segfault in a codec
/// on a hostile file) or hangs past the time limit fails that file, with its name, and never the build. Children are
/// started when a photo first needs one, kept for the next file, and replaced after a crash. Each runs the same
/// pipeline (<see cref="PhotoSandboxServer"/>). A request names the file and the stamp it was hashed under; the child
/// reads it itself (a 4K photo's megabytes through a pipe cost as much as a fifth of its decode), and only the outputs
/// come back through its stdout.
/// </summary>
public sealed class PhotoSandbox(Func<ProcessStartInfo> start) : IPhotoProcessing, IDisposable
{
    // Beyond the file's own limit, which the child enforces: its start-up and the pipes.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    private readonly ConcurrentBag<Child> _idle = [];
    private readonly ConcurrentDictionary<Child, byte> _all = new();
    private int _started;
    private int _crashed;
    private string? _unavailable;
    private int _told;

    /// <summary>For the tests: a file holding this variable's value makes a child crash as a faulty decoder would.</summary>
    public const string CrashMarkerVariable = PhotoSandboxServer.CrashMarkerVariable;

    /// <summary>
    /// The child's side, for the process a sandbox starts: reads requests from <paramref name="input"/> until the build
    /// closes it, right-sizes each file, and writes nothing but replies to <paramref name="output"/>.
    /// </summary>
    public static int Serve(Stream input, Stream output) => PhotoSandboxServer.Run(input, output);

    /// <summary>Children started so far (one per concurrent worker, plus one per crash).</summary>
    public int Started => Volatile.Read(ref _started);

    public int Crashed => Volatile.Read(ref _crashed);

    /// <summary>
    /// A sandbox whose children run <paramref name="assembly"/> (the tool) with <paramref name="arguments"/>: through its
    /// app host when this process is that app host, else through the dotnet muxer (this process's, the SDK's
    /// DOTNET_HOST_PATH, or dotnet on PATH), so it works from the tool, from dotnet tool.dll and from a test host.
    /// </summary>
    public static PhotoSandbox Of(string assembly, params string[] arguments) => new(() =>
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var appHost = string.Equals(Path.GetFileNameWithoutExtension(host), Path.GetFileNameWithoutExtension(assembly), StringComparison.OrdinalIgnoreCase);
        var muxer = string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase) ? host : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(appHost ? host : muxer) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        if (!appHost)
        {
            info.ArgumentList.Add(assembly);
        }
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        return info;
    });

    public ProcessedFile ProcessAll(PhotoFile source, IReadOnlyList<PhotoRequest> requests, PhotoSettings settings, (double X, double Y)? focus)
    {
        if (Volatile.Read(ref _unavailable) is not null || Rent() is not { } child)
        {
            // No child can start here (no dotnet host on PATH, a locked-down runner): the build still works, in process,
            // and the first photo says so.
            var file = PhotoProcessor.ProcessAll(source, requests, settings, focus);
            return Interlocked.Exchange(ref _told, 1) == 0
                ? file with { Warnings = [.. file.Warnings, $"the photo sandbox could not start ({Volatile.Read(ref _unavailable)}); photos are decoded in the build's own process, without crash containment"] }
                : file;
        }
        using var deadline = new Timer(_ => child.Kill(), null, settings.TimeLimit + Grace, Timeout.InfiniteTimeSpan);
        try
        {
            PhotoSandboxProtocol.WriteRequest(child.Input, source, requests, settings, focus);
            var result = PhotoSandboxProtocol.ReadReply(child.Output);
            deadline.Dispose();
            Release(child);
            return result;
        }
        catch (Exception ex) when (ex is ImageRejectedException or PhotoSandboxProtocol.FailedReply or PhotoSandboxProtocol.UnreadableReply)
        {
            // The child answered: it is still good for the next file.
            deadline.Dispose();
            Release(child);
            throw;
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or ObjectDisposedException or InvalidOperationException)
        {
            Interlocked.Increment(ref _crashed);
            var why = child.Ended(settings.TimeLimit + Grace);
            Retire(child);
            throw new ImageRejectedException($"the decoder process {why} while reading this file; the file was not processed (the build goes on)");
        }
    }

    /// <summary>An idle child, or a new one; null when none can be started (the reason is kept in <see cref="_unavailable"/>).</summary>
    private Child? Rent()
    {
        while (_idle.TryTake(out var idle))
        {
            if (!idle.HasExited)
            {
                return idle;
            }
            Retire(idle);
        }
        Process? process;
        try
        {
            process = Process.Start(start());
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            Volatile.Write(ref _unavailable, ex.Message);
            return null;
        }
        if (process is null)
        {
            Volatile.Write(ref _unavailable, "the process did not start");
            return null;
        }
        Interlocked.Increment(ref _started);
        var child = new Child(process);
        _all[child] = 0;
        return child;
    }

    /// <summary>Back to the idle children, unless the deadline fired just as it answered.</summary>
    private void Release(Child child)
    {
        if (child.Killed)
        {
            Retire(child);
        }
        else
        {
            _idle.Add(child);
        }
    }

    private void Retire(Child child)
    {
        _all.TryRemove(child, out _);
        child.Dispose();
    }

    public void Dispose()
    {
        foreach (var child in _all.Keys)
        {
            Retire(child);
        }
    }

    private sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _stderr = new();

        internal Child(Process process)
        {
            _process = process;
            Input = new BinaryWriter(process.StandardInput.BaseStream);
            Output = new BinaryReader(process.StandardOutput.BaseStream);
            process.ErrorDataReceived += (_, e) =>
            {
                lock (_stderr)
                {
                    if (e.Data is not null && _stderr.Length < 4096)
                    {
                        _stderr.AppendLine(e.Data);
                    }
                }
            };
            process.BeginErrorReadLine();
        }

        internal BinaryWriter Input { get; }

        internal BinaryReader Output { get; }

        internal bool Killed { get; private set; }

        internal bool HasExited => _process.HasExited;

        internal void Kill()
        {
            Killed = true;
            try
            {
                _process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        /// <summary>How the child ended, for the file's error: killed at the deadline, or its exit code or signal.</summary>
        internal string Ended(TimeSpan limit)
        {
            _process.WaitForExit(2000);
            if (Killed)
            {
                return $"took longer than {limit.TotalSeconds:0} s and was stopped";
            }
            if (!_process.HasExited)
            {
                Kill();
                return "stopped answering";
            }
            var code = _process.ExitCode;
            // A process killed by a signal exits 128 + the signal's number.
            var signal = code > 128 && code < 160 ? $" (signal {code - 128}{(code - 128 == 11 ? ", a segmentation fault" : code - 128 == 6 ? ", an abort" : "")})" : "";
            return $"crashed with exit code {code}{signal}";
        }

        public void Dispose()
        {
            try
            {
                Input.Dispose();
                if (!_process.WaitForExit(1000))
                {
                    Kill();
                }
            }
            catch (IOException)
            {
            }
            _process.Dispose();
        }
    }
}
