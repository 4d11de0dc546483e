using System.Diagnostics;
using BuildImages.TestSupport;

namespace BuildImages.Tool.Tests.Serve;

/// <summary>A throw-away Redis on loopback (Debian's redis-server; build/test.sh installs it), nothing persisted.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-redis-").FullName;

    public RedisServer()
    {
        var server = new[] { "/usr/bin/redis-server", "/usr/sbin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed: run build/test.sh (it installs it) or apt-get install redis-server");
        for (var attempt = 0; ; attempt++)
        {
            Port = LocalServer.FreePort();
            using var start = Process.Start(new ProcessStartInfo(server, ["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--daemonize", "yes", "--dir", _dir, "--pidfile", Path.Combine(_dir, "redis.pid")]) { RedirectStandardOutput = true })!;
            start.StandardOutput.ReadToEnd();
            start.WaitForExit();
            if (start.ExitCode == 0 && LocalServer.Listening(Port))
            {
                return;
            }
            if (attempt == 4)
            {
                throw new InvalidOperationException("redis-server did not start");
            }
        }
    }

    public int Port { get; private set; }

    public void Dispose()
    {
        var pidFile = Path.Combine(_dir, "redis.pid");
        for (var i = 0; i < 40 && !File.Exists(pidFile); i++)
        {
            Thread.Sleep(25);
        }
        LocalServer.Stop(pidFile);
        Directory.Delete(_dir, recursive: true);
    }
}
