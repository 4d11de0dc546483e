using System.Diagnostics;

namespace BuildImages.TestSupport;

/// <summary>
/// A real nginx on loopback (Debian's; build/test.sh installs it) with the servers a test gives, in a folder of its own
/// (logs, temp files, whatever the servers store), on a port the system just gave out. Shared by the test projects.
/// </summary>
public sealed class Nginx : IDisposable
{
    /// <param name="servers">The http block's servers, given the folder and the port to listen on.</param>
    public Nginx(Func<string, int, string> servers)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed: run build/test.sh (it installs it) or apt-get install nginx");
        Dir = Directory.CreateTempSubdirectory("bi-nginx-").FullName;
        foreach (var folder in new[] { "logs", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(Dir, folder));
        }
        // A port the system just gave out is free unless another process takes it first: try a few.
        for (var attempt = 0; ; attempt++)
        {
            Port = LocalServer.FreePort();
            var body = servers(Dir, Port);
            // The worker runs as nobody when nginx starts as root: everything it writes must be open to it.
            if (!OperatingSystem.IsWindows())
            {
                foreach (var path in Directory.GetDirectories(Dir, "*", SearchOption.AllDirectories).Append(Dir))
                {
                    File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
                }
            }
            File.WriteAllText(Path.Combine(Dir, "nginx.conf"), $$"""
                worker_processes 1; pid {{Dir}}/nginx.pid; error_log {{Dir}}/logs/error.log warn; daemon on;
                {{(Environment.UserName == "root" ? "user nobody nogroup;" : string.Empty)}}
                events { worker_connections 1024; }
                http {
                  access_log {{Dir}}/logs/access.log;
                  client_body_temp_path {{Dir}}/tmp;
                  {{body}}
                }
                """);
            using var start = Process.Start(new ProcessStartInfo(nginx, ["-c", Path.Combine(Dir, "nginx.conf"), "-p", Dir]) { RedirectStandardError = true })!;
            var error = start.StandardError.ReadToEnd();
            start.WaitForExit();
            if (start.ExitCode == 0 && LocalServer.Listening(Port))
            {
                return;
            }
            if (attempt == 4)
            {
                throw new InvalidOperationException("nginx did not start: " + error);
            }
        }
    }

    /// <summary>The folder nginx runs in (its logs, temp files and what its servers store).</summary>
    public string Dir { get; }

    public int Port { get; private set; }

    /// <summary>
    /// The access log's lines that contain <paramref name="text"/>, once every request answered before this call is in
    /// the log. nginx writes a request's line just after sending its answer, so a client (a build) can be done before the
    /// line is there, longer so on a busy machine. Its one worker handles events one after another, and a request's
    /// last send and its log line happen in one turn: once a marker request made now is logged, so is everything
    /// answered before it.
    /// </summary>
    public int Logged(string text)
    {
        var log = Path.Combine(Dir, "logs", "access.log");
        var marker = $"/buildimages-log-marker/{Guid.NewGuid():N}";
        using (var http = new HttpClient())
        {
            http.GetAsync(new Uri($"http://127.0.0.1:{Port}{marker}")).GetAwaiter().GetResult().Dispose();
        }
        // Bounded only so a broken server fails the test instead of hanging it; the marker is normally there at once.
        for (var wait = Stopwatch.StartNew(); !(File.Exists(log) && File.ReadLines(log).Any(l => l.Contains(marker, StringComparison.Ordinal))); Thread.Sleep(10))
        {
            if (wait.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"nginx did not log {marker} within 30 s");
            }
        }
        return File.ReadLines(log).Count(l => l.Contains(text, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        if (!Directory.Exists(Dir))
        {
            return;
        }
        LocalServer.Stop(Path.Combine(Dir, "nginx.pid"));
        Directory.Delete(Dir, recursive: true);
    }
}
