namespace BuildImages.Tool.Serve;

/// <summary>
/// What a hook's headers decided (<see cref="HookAuth.Begin"/>): accepted, refused with a reason, or a signature still to
/// be checked against the body (<see cref="Signature"/> and the <see cref="Signed"/> text that precedes the body), made
/// at <see cref="SignedAt"/> (Unix seconds) for a request that is an unpublish or not.
/// </summary>
internal sealed record WriteCheck(string? Refused, byte[]? Signature, string? Signed, long? SignedAt = null, bool Unpublish = false)
{
    internal static readonly WriteCheck Accepted = new(null, null, null);

    internal static WriteCheck Refuse(string reason) => new(reason, null, null);
}
