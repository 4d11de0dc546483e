using BuildImages.TestSupport;

namespace BuildImages.Core.Tests.Caching;

/// <summary>
/// A real Bazel-protocol HTTP cache on loopback: nginx's WebDAV module serving a folder the tests can read and damage
/// behind its back, with an access log to count PUTs. One per test class (or per test that kills it).
/// </summary>
public sealed class NginxCache : IDisposable
{
    private readonly Nginx _nginx = new((dir, port) =>
    {
        Directory.CreateDirectory(Path.Combine(dir, "cache"));
        return $$"""
            server { listen 127.0.0.1:{{port}};
              location /cache/ { root {{dir}}; dav_methods PUT DELETE; create_full_put_path on;
                                 dav_access user:rw group:rw all:rw; client_max_body_size 64m; } }
            """;
    });

    public Uri Url => new($"http://127.0.0.1:{_nginx.Port}/cache");

    /// <summary>The folder the objects are stored in (cas/ and ac/).</summary>
    public string Store => Path.Combine(_nginx.Dir, "cache");

    /// <summary>How many PUT requests the server has logged so far.</summary>
    public int Puts() => _nginx.Logged("\"PUT ");

    /// <summary>How many GET requests for an area (<c>ac</c> or <c>cas</c>) the server has logged so far.</summary>
    public int Gets(string area) => _nginx.Logged($"\"GET /cache/{area}/");

    public void Clear()
    {
        foreach (var area in new[] { "ac", "cas" }.Select(a => Path.Combine(Store, a)).Where(Directory.Exists))
        {
            Directory.Delete(area, recursive: true);
        }
    }

    public void Dispose() => _nginx.Dispose();
}
