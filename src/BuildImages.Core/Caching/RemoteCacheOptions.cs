namespace BuildImages.Core.Caching;

/// <summary>
/// A remote cache shared by machines (CI runners, shards, developers): outputs stored by content hash
/// (<c>cas/&lt;sha256&gt;</c>) with a signed mapping per output key (<c>ac/&lt;output key&gt;</c>), in one of three
/// stores: the Bazel HTTP cache protocol (<c>http(s)://</c>: nginx WebDAV, bazel-remote with
/// <c>--disable_http_ac_validation</c>, any HTTP server that takes PUT), an S3 bucket (<c>s3://bucket/prefix</c>) or an
/// Azure Blob Storage container (<c>azblob://container/prefix</c>). Nothing reaches the network unless a front sets
/// this. Credentials come from the environment only (<see cref="FromEnvironment"/>).
/// </summary>
public sealed record RemoteCacheOptions
{
    /// <summary>The URL scheme of an S3 bucket (or an S3-compatible store).</summary>
    public const string S3Scheme = "s3";

    /// <summary>The URL scheme of an Azure Blob Storage container.</summary>
    public const string AzureBlobScheme = "azblob";

    /// <summary>The cache: <c>http://cache.internal:8080/buildimages</c>, <c>s3://bucket/prefix</c> or <c>azblob://container/prefix</c>.</summary>
    public required Uri Url { get; init; }

    /// <summary>Read only: fetch hits, never upload (pull-request builds, whose credentials must not be able to write).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The Authorization header's value (<c>Bearer …</c> or <c>Basic …</c>) for an http(s) cache; null sends none.</summary>
    public string? Authorization { get; init; }

    /// <summary>An <c>s3://</c> cache's region, endpoint and keys; null: from the environment when the cache is first used.</summary>
    internal S3Access? S3 { get; init; }

    /// <summary>An <c>azblob://</c> cache's account and credential; null: from the environment when the cache is first used.</summary>
    internal AzureBlobAccess? AzureBlob { get; init; }

    /// <summary>
    /// Signs the key → content mappings this build writes (HMAC-SHA256) and, when set, ignores every mapping that is
    /// unsigned or signed with another key: whoever can write to the cache without the key cannot make a build use
    /// their bytes for a key.
    /// </summary>
    public byte[]? SigningKey { get; init; }

    /// <summary>How long one request may take before it counts as a failure.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed requests in a row (each after its retries) after which the cache is off for the rest of the build, which renders locally.</summary>
    public int FailuresBeforeOff { get; init; } = 3;

    /// <summary>Serializes renders of one output key across processes (the hook server's Redis lock); null: none.</summary>
    public IRenderLock? RenderLock { get; init; }

    /// <summary>
    /// A cache URL as every front takes it: absolute http(s), <c>s3://bucket[/prefix]</c> or
    /// <c>azblob://container[/prefix]</c> with a valid bucket or container name, never with credentials in it (they
    /// would end up in logs, or committed); null otherwise.
    /// </summary>
    internal static Uri? ParseUrl(string text)
    {
        if (!Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var url) || !string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            return null;
        }
        return url.Scheme switch
        {
            "http" or "https" => url,
            // Bucket and container names as the services define them (the host part keeps them lower case and dot-free for containers).
            S3Scheme => url.IsDefaultPort && System.Text.RegularExpressions.Regex.IsMatch(url.Host, "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$") ? url : null,
            AzureBlobScheme => url.IsDefaultPort && System.Text.RegularExpressions.Regex.IsMatch(url.Host, "^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$") ? url : null,
            _ => null,
        };
    }

    /// <summary>The environment variable holding the cache's URL.</summary>
    public const string UrlVariable = "BUILDIMAGES_CACHE_URL";

    /// <summary>
    /// The cache the environment configures, or null when <see cref="UrlVariable"/> (or <paramref name="url"/>) is not
    /// set: <c>BUILDIMAGES_CACHE_MODE</c> (<c>read-write</c>, default, or <c>read-only</c>), <c>BUILDIMAGES_CACHE_TOKEN</c>
    /// (a bearer token) or <c>BUILDIMAGES_CACHE_USER</c> and <c>BUILDIMAGES_CACHE_PASSWORD</c> (HTTP Basic) for an
    /// http(s) cache, the AWS variables for <c>s3://</c> (<see cref="S3Access"/>) and the Azure Storage ones for
    /// <c>azblob://</c> (<see cref="AzureBlobAccess"/>), <c>BUILDIMAGES_CACHE_SIGNING_KEY</c>, <c>BUILDIMAGES_CACHE_TIMEOUT</c> (seconds). A value that cannot be used is an
    /// <see cref="ArgumentException"/> naming the variable.
    /// </summary>
    /// <param name="environment">Reads a variable (<see cref="Environment.GetEnvironmentVariable(string)"/> in the fronts).</param>
    /// <param name="url">A URL given on the command line, over the variable.</param>
    /// <param name="readOnly">True: read only whatever the variable says.</param>
    /// <param name="configured">The configuration's <c>"cache"</c> URL, used when neither <paramref name="url"/> nor the variable names one.</param>
    public static RemoteCacheOptions? FromEnvironment(Func<string, string?> environment, string? url = null, bool readOnly = false, Uri? configured = null)
    {
        // The command line over the environment over the configuration: CI points pull requests elsewhere without editing the file.
        var text = url;
        if (string.IsNullOrWhiteSpace(text))
        {
            text = environment(UrlVariable);
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            text = configured?.AbsoluteUri;
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var parsed = ParseUrl(text) ?? throw new ArgumentException($"{(url is null ? UrlVariable : "--cache")} must be an http(s) URL, s3://bucket/prefix or azblob://container/prefix, without credentials in it, not '{text}'");
        var mode = environment("BUILDIMAGES_CACHE_MODE");
        if (mode is not (null or "" or "read-write" or "read-only"))
        {
            throw new ArgumentException($"BUILDIMAGES_CACHE_MODE must be read-write or read-only, not '{mode}'");
        }
        string? authorization = null;
        if (environment("BUILDIMAGES_CACHE_TOKEN") is { Length: > 0 } token)
        {
            authorization = "Bearer " + token;
        }
        else if (environment("BUILDIMAGES_CACHE_USER") is { Length: > 0 } user)
        {
            authorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + environment("BUILDIMAGES_CACHE_PASSWORD")));
        }
        var timeout = TimeSpan.FromSeconds(10);
        if (environment("BUILDIMAGES_CACHE_TIMEOUT") is { Length: > 0 } seconds)
        {
            timeout = double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 600
                ? TimeSpan.FromSeconds(s)
                : throw new ArgumentException($"BUILDIMAGES_CACHE_TIMEOUT must be seconds between 0 and 600, not '{seconds}'");
        }
        return new RemoteCacheOptions
        {
            Url = parsed,
            ReadOnly = readOnly || mode == "read-only",
            Authorization = authorization,
            SigningKey = environment("BUILDIMAGES_CACHE_SIGNING_KEY") is { Length: > 0 } key ? System.Text.Encoding.UTF8.GetBytes(key) : null,
            Timeout = timeout,
            // Read now, so a mistake in them is the build's error at its start, not a warning per request.
            S3 = parsed.Scheme == S3Scheme ? S3Access.FromEnvironment(environment) : null,
            AzureBlob = parsed.Scheme == AzureBlobScheme ? AzureBlobAccess.FromEnvironment(environment) : null,
        };
    }
}
