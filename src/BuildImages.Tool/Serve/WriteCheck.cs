namespace BuildImages.Tool.Serve;

/// <summary>
/// What a hook's headers decided (<see cref="HookAuth.Begin"/>): accepted, refused with a reason and a status (401, or
/// 500 when the server itself lacks the job's secret), or a signature still to be checked against the body: the HMAC
/// <see cref="Key"/>, the expected <see cref="Signature"/> and the <see cref="Signed"/> text that precedes the body, made
/// at <see cref="SignedAt"/> (Unix milliseconds: Contentful and Sanity sign in milliseconds, BuildImages in seconds), for a request that is a DELETE or not.
/// </summary>
internal sealed record WriteCheck(string? Refused, byte[]? Signature, string? Signed, long? SignedAt = null, bool Unpublish = false)
{
    internal static readonly WriteCheck Accepted = new(null, null, null);

    internal byte[]? Key { get; init; }

    internal int Status { get; init; } = 401;

    /// <summary>What a signature that does not match the body is told: what the scheme signs.</summary>
    internal string Mismatch { get; init; } = "the signature does not match the timestamp, method, route and body";

    internal static WriteCheck Refuse(string reason, int status = 401) => new(reason, null, null) { Status = status };
}
