using BuildImages.Core.Configuration;

namespace BuildImages.Core.Output;

/// <summary>The URL a written file has on the site: <c>baseUrl</c> plus its path (each segment escaped), with <c>?v=</c> and the content hash's first hex digits under <c>cacheBust: query</c>. images.json and the hook server's answers both use it, so they name the same URL.</summary>
internal static class SiteUrl
{
    public static string Of(BuildConfig config, string file, string sha256)
    {
        var baseUrl = config.BaseUrl ?? "/";
        var path = string.Join('/', file.Split('/').Select(Uri.EscapeDataString));
        var url = (baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/") + path;
        return config.CacheBust == CacheBust.Query ? $"{url}?v={sha256[..10]}" : url;
    }
}
