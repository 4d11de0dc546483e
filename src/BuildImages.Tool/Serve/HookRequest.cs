namespace BuildImages.Tool.Serve;

/// <summary>A hook request that passed <see cref="HookFilter"/>: what it names, its body (read once), and when it was signed (Unix milliseconds) and with what signature (null for a token or no authentication).</summary>
internal sealed record HookRequest(HookTarget Target, byte[] Body, long? SignedAt, byte[]? Signature = null);
