using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BuildImages.Core.Tests.Caching;

/// <summary>
/// A real Bazel-protocol HTTP cache on loopback: nginx (Debian's, with the WebDAV module; build/test.sh installs it)
/// serving a folder the tests can read and damage behind its back, with an access log to count PUTs. One per test class.
/// </summary>
public sealed class NginxCache : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-nginx-").FullName;

    public NginxCache()
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed: run build/test.sh (it installs it) or apt-get install nginx");
        foreach (var folder in new[] { "logs", "tmp", "cache" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, folder));
        }
        // The worker runs as nobody when nginx starts as root: the folders must be its to write.
        if (!OperatingSystem.IsWindows())
        {
            foreach (var path in Directory.GetDirectories(_dir).Append(_dir))
            {
                File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
            }
        }
        // A port the system just gave out is free unless another process takes it first: try a few.
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            File.WriteAllText(Path.Combine(_dir, "nginx.conf"), $$"""
                worker_processes 1; pid {{_dir}}/nginx.pid; error_log {{_dir}}/logs/error.log warn; daemon on;
                {{(Environment.UserName == "root" ? "user nobody nogroup;" : string.Empty)}}
                events { worker_connections 256; }
                http {
                  access_log {{_dir}}/logs/access.log;
                  client_body_temp_path {{_dir}}/tmp;
                  server { listen 127.0.0.1:{{Port}};
                    location /cache/ { root {{_dir}}; dav_methods PUT DELETE; create_full_put_path on;
                                       dav_access user:rw group:rw all:rw; client_max_body_size 64m; } }
                }
                """);
            using var start = Process.Start(new ProcessStartInfo(nginx, ["-c", Path.Combine(_dir, "nginx.conf"), "-p", _dir]) { RedirectStandardError = true })!;
            var error = start.StandardError.ReadToEnd();
            start.WaitForExit();
            if (start.ExitCode == 0 && Ready())
            {
                return;
            }
            if (attempt == 4)
            {
                throw new InvalidOperationException("nginx did not start: " + error);
            }
        }
    }

    public int Port { get; private set; }

    public Uri Url => new($"http://127.0.0.1:{Port}/cache");

    /// <summary>The folder the objects are stored in (cas/ and ac/).</summary>
    public string Store => Path.Combine(_dir, "cache");

    /// <summary>How many PUT requests the server has logged so far.</summary>
    public int Puts()
    {
        var log = Path.Combine(_dir, "logs", "access.log");
        return File.Exists(log) ? File.ReadLines(log).Count(l => l.Contains("\"PUT ", StringComparison.Ordinal)) : 0;
    }

    public void Clear()
    {
        foreach (var area in new[] { "ac", "cas" }.Select(a => Path.Combine(Store, a)).Where(Directory.Exists))
        {
            Directory.Delete(area, recursive: true);
        }
    }

    private bool Ready()
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!Directory.Exists(_dir))
        {
            return;
        }
        var pidFile = Path.Combine(_dir, "nginx.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
        Directory.Delete(_dir, recursive: true);
    }
}
