namespace BuildImages.Core.Caching;

/// <summary>
/// How to reach an <c>s3://</c> cache, from the variables every AWS tool reads: <c>AWS_ACCESS_KEY_ID</c>,
/// <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>, <c>AWS_REGION</c> (or <c>AWS_DEFAULT_REGION</c>) and
/// <c>AWS_ENDPOINT_URL_S3</c> (or <c>AWS_ENDPOINT_URL</c>) for S3-compatible stores (MinIO, R2, Ceph: addressed by path).
/// Without keys the SDK's own chain is used (profiles, web identity, the container or instance role).
/// </summary>
internal sealed record S3Access(string? AccessKeyId, string? SecretAccessKey, string? SessionToken, string Region, Uri? Endpoint)
{
    internal static S3Access FromEnvironment(Func<string, string?> environment)
    {
        var endpointText = Value(environment, "AWS_ENDPOINT_URL_S3") ?? Value(environment, "AWS_ENDPOINT_URL");
        Uri? endpoint = null;
        if (endpointText is not null && !(Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) && endpoint.Scheme is "http" or "https" && string.IsNullOrEmpty(endpoint.UserInfo)))
        {
            throw new ArgumentException($"{(Value(environment, "AWS_ENDPOINT_URL_S3") is null ? "AWS_ENDPOINT_URL" : "AWS_ENDPOINT_URL_S3")} must be an http(s) URL without credentials in it, not '{endpointText}'");
        }
        var keyId = Value(environment, "AWS_ACCESS_KEY_ID");
        var secret = Value(environment, "AWS_SECRET_ACCESS_KEY");
        if ((keyId is null) != (secret is null))
        {
            throw new ArgumentException($"AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together; only {(keyId is null ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID")} is set");
        }
        return new S3Access(keyId, secret, Value(environment, "AWS_SESSION_TOKEN"), Value(environment, "AWS_REGION") ?? Value(environment, "AWS_DEFAULT_REGION") ?? "us-east-1", endpoint);
    }

    private static string? Value(Func<string, string?> environment, string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;

    /// <summary>Never prints the secret (records print every member).</summary>
    public override string ToString() => $"S3 in {Region}{(Endpoint is null ? string.Empty : " at " + Endpoint)}";
}
