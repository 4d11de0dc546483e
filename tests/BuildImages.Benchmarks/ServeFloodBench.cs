using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--serve-flood DIR [CONNECTIONS]</c>: the hook server's memory under strangers' load, on loopback. Starts the
/// Release tool's <c>serve</c> with a secret as a child process, then opens CONNECTIONS (default 300) raw connections at
/// once that each announce a 1 MiB hook body and send all of it but the last byte, first without any authentication,
/// then with a well-formed signature header and a current timestamp (whose body must be read to be checked). Prints
/// the server's resident memory with the connections held and after they close, and how each was answered.
/// </summary>
internal static class ServeFloodBench
{
    internal static int Run(string[] args, TextWriter o)
    {
        var dir = Path.GetFullPath(args.ElementAtOrDefault(0) ?? "/tmp/bi-flood");
        var connections = int.Parse(args.ElementAtOrDefault(1) ?? "300", CultureInfo.InvariantCulture);
        var tool = Path.Combine(BenchSupport.RepoRoot(), "src/BuildImages.Tool/bin/Release/net10.0/dotnet-build-images.dll");
        ServeLoadBench.MakeSite(dir);
        var port = ServeLoadBench.FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { tool, "serve", "--config", Path.Combine(dir, "buildimages.json"), "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["BUILDIMAGES_HOOK_SECRET"] = "flood-secret";
        using var server = Process.Start(start)!;
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        try
        {
            using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") })
            {
                ServeLoadBench.WaitHealthy(http);
            }
            o.WriteLine($"server pid {server.Id}; RSS at start {ServeLoadBench.Rss(server.Id)} MB; {connections} connections, each announcing a 1 MiB body");
            foreach (var signed in new[] { false, true })
            {
                var sockets = new List<Socket>();
                for (var i = 0; i < connections; i++)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendTimeout = 2000 };
                    socket.Connect("127.0.0.1", port);
                    var head = new StringBuilder($"POST /hooks/cards HTTP/1.1\r\nHost: x\r\nContent-Length: {1 << 20}\r\n");
                    if (signed)
                    {
                        head.Append(CultureInfo.InvariantCulture, $"X-BuildImages-Timestamp: {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\r\nX-BuildImages-Signature: v1={new string('0', 64)}\r\n");
                    }
                    try
                    {
                        socket.Send(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
                        socket.Send(new byte[(1 << 20) - 1]);
                    }
                    catch (SocketException)
                    {
                        // Past the connection limit the kernel's backlog fills: that sender waits, as it should.
                    }
                    sockets.Add(socket);
                }
                Thread.Sleep(3000);
                o.WriteLine($"  {(signed ? "signed-looking" : "unauthenticated")}: RSS with the connections held {ServeLoadBench.Rss(server.Id)} MB");
                var answers = new SortedDictionary<string, int>(StringComparer.Ordinal);
                foreach (var socket in sockets)
                {
                    socket.ReceiveTimeout = 200;
                    string answer;
                    try
                    {
                        var buffer = new byte[64];
                        var n = socket.Receive(buffer);
                        answer = n > 12 ? Encoding.ASCII.GetString(buffer, 9, 3) : "closed";
                    }
                    catch (SocketException)
                    {
                        answer = "still waiting";
                    }
                    answers[answer] = answers.GetValueOrDefault(answer) + 1;
                    socket.Dispose();
                }
                Thread.Sleep(3000);
                o.WriteLine($"    answers: {string.Join(", ", answers.Select(a => $"{a.Key} x{a.Value}"))}; RSS after they closed {ServeLoadBench.Rss(server.Id)} MB");
            }
            return 0;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }
}
