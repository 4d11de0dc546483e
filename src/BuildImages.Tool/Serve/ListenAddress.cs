using System.Globalization;
using System.Net;

namespace BuildImages.Tool.Serve;

/// <summary>
/// One <c>--urls</c> entry, parsed and checked before anything listens: the server binds exactly what was checked (an IP
/// address, every interface, or loopback for <c>localhost</c>), never a host name Kestrel would read as "every
/// interface". Loopback only unless <c>--allow-remote</c>.
/// </summary>
internal sealed partial record ListenAddress(string Url, bool Https, IPAddress? Address, int Port)
{
    /// <summary>Null <see cref="Address"/> with this flag: <c>localhost</c> (IPv4 and IPv6 loopback).</summary>
    internal bool Localhost { get; init; }

    /// <summary>Reachable from other machines: every interface, or an address that is not loopback.</summary>
    internal bool Remote => !Localhost && (Address is null || !IPAddress.IsLoopback(Address));

    /// <summary>Parses one URL; a malformed one, or one that is not loopback without <paramref name="allowRemote"/>, is a usage error naming it.</summary>
    internal static ListenAddress Parse(string url, bool allowRemote)
    {
        // Read by hand, not by Uri: Uri calls "loopback" a loopback host, while Kestrel binds every interface for it.
        var match = UrlShape().Match(url);
        if (!match.Success || !int.TryParse(match.Groups["port"].Success ? match.Groups["port"].Value : match.Groups["scheme"].Value == "https" ? "443" : "80", NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw ToolErrors.Usage($"--urls '{url}' is not an http(s) URL of the form http://ADDRESS:PORT");
        }
        var https = match.Groups["scheme"].Value == "https";
        var host = match.Groups["host"].Value.Trim('[', ']');
        ListenAddress address;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new ListenAddress(url, https, null, port) { Localhost = true };
        }
        else if (host is "*" or "+")
        {
            address = new ListenAddress(url, https, null, port);
        }
        else if (IPAddress.TryParse(host, out var ip) && (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) == match.Groups["host"].Value.StartsWith('['))
        {
            // ::ffff:127.0.0.1 is 127.0.0.1 to the kernel; bind and judge it as that.
            var bound = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
            address = new ListenAddress(url, https, IPAddress.Any.Equals(bound) || IPAddress.IPv6Any.Equals(bound) ? null : bound, port);
        }
        else if (allowRemote)
        {
            // Kestrel listens on every interface for a host name; say so by binding that, not the name.
            address = new ListenAddress(url, https, null, port);
        }
        else
        {
            throw ToolErrors.Usage($"--urls '{url}' names a host, not an IP address; the server would listen on every interface. Use 127.0.0.1, [::1] or localhost, or pass --allow-remote");
        }
        if (address.Remote && !allowRemote)
        {
            throw ToolErrors.Usage($"--urls '{url}' is not a loopback address; pass --allow-remote to listen there (and put TLS in front)");
        }
        return address;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<scheme>https?)://(?<host>\[[0-9A-Fa-f:.]+\]|[^:/\[\]@?#]+)(?::(?<port>[0-9]{1,5}))?/?$")]
    private static partial System.Text.RegularExpressions.Regex UrlShape();

    public override string ToString() => Localhost ? $"localhost:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Address?.ToString() ?? "*"}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
