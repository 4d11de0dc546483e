using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BuildImages.TestSupport;

/// <summary>What the tests' loopback servers (nginx, Redis) share: a free port, waiting until one listens, stopping one by its pid file.</summary>
public static class LocalServer
{
    /// <summary>A port nothing listens on now (for a server about to start, or a dead upstream).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether something listens on the port within five seconds (a daemon is ready once it accepts).</summary>
    public static bool Listening(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            if (Accepts(port))
            {
                return true;
            }
            Thread.Sleep(50);
        }
        return false;
    }

    /// <summary>Whether something accepts a connection on the port now.</summary>
    public static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Stops the daemon whose pid the file names, with its children (nginx's workers), and waits for it.</summary>
    public static void Stop(string pidFile)
    {
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
    }
}
