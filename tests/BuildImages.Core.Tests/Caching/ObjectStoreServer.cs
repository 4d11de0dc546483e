using System.Diagnostics;
using BuildImages.Core.Caching;
using BuildImages.TestSupport;

namespace BuildImages.Core.Tests.Caching;

/// <summary>
/// A real object store on loopback for the remote cache tests (Azurite for Azure Blob Storage, s3rver for S3), run
/// from tests/support/blob-servers (build/test.sh installs it with npm), with what the tests need to look behind the
/// cache's back: the names stored, and a way to change an object's bytes.
/// </summary>
public abstract class ObjectStoreServer : IDisposable
{
    private readonly Process _process;

    protected ObjectStoreServer(string command, Func<int, string[]> arguments)
    {
        var bin = Path.Combine(TestCards.RepoRoot, "tests", "support", "blob-servers", "node_modules", ".bin", command);
        if (!File.Exists(bin))
        {
            throw new InvalidOperationException($"{bin} is missing: run build/test.sh (it runs npm ci in tests/support/blob-servers)");
        }
        Dir = Directory.CreateTempSubdirectory("bi-store-").FullName;
        // A port the system just gave out is free unless another process takes it first: try a few.
        for (var attempt = 0; ; attempt++)
        {
            Port = LocalServer.FreePort();
            var start = new ProcessStartInfo(bin, arguments(Port)) { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true };
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            // Node starts in a few seconds, more on a busy machine: wait for the port, or for the process to die.
            for (var i = 0; i < 1200 && !_process.HasExited && !LocalServer.Accepts(Port); i++)
            {
                Thread.Sleep(50);
            }
            if (!_process.HasExited && LocalServer.Accepts(Port))
            {
                return;
            }
            Stop();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"{command} did not start on port {Port}");
            }
        }
    }

    /// <summary>The folder the server runs in.</summary>
    public string Dir { get; }

    public int Port { get; }

    /// <summary>The cache's options for this store (credentials as the environment would give them).</summary>
    public abstract RemoteCacheOptions Options(bool readOnly = false, string? signingKey = null);

    /// <summary>The names stored under an area (<c>cas</c> or <c>ac</c>).</summary>
    public abstract IReadOnlyList<string> Names(string area);

    public abstract byte[] Read(string area, string name);

    /// <summary>Replaces an object's bytes behind the cache's back.</summary>
    public abstract void Write(string area, string name, byte[] bytes);

    /// <summary>Deletes every object (between tests).</summary>
    public abstract void Clear();

    private void Stop()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
