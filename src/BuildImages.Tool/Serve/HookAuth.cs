using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BuildImages.Core.Configuration;
using Microsoft.AspNetCore.Http;

namespace BuildImages.Tool.Serve;

/// <summary>
/// Webhook authentication. A signed request carries <c>X-BuildImages-Timestamp</c> (Unix seconds) and
/// <c>X-BuildImages-Signature: v1=HEX</c>, the HMAC-SHA256 of <c>"{timestamp}\n{METHOD}\n{route}\n"</c> followed by the raw
/// body, where the route is <c>/hooks/{job}</c> or <c>/hooks/{job}/{id}</c> with each segment percent-encoded
/// (RFC 3986 unreserved characters kept). So a signature is good for one method, one job, one item and one body, within
/// the replay window around its timestamp: a DELETE seen in a proxy log can unpublish no other item, and is accepted
/// once (<see cref="ReplayGuard"/>); a publish sent again renders the same content again (a skip), but one signed
/// before its item was unpublished is refused (<see cref="UnpublishLedger"/>), so a copy cannot bring the card back.
/// A bearer token (<c>Authorization: Bearer</c>) is the other way in,
/// for CMSs that can only send a fixed header. Secrets come from the environment or a file, never from the
/// configuration in the repository; every comparison takes the same time whatever the guess.
/// </summary>
internal sealed class HookAuth
{
    internal const string TimestampHeader = "X-BuildImages-Timestamp";
    internal const string SignatureHeader = "X-BuildImages-Signature";
    internal const string SchemePrefix = "v1=";

    private readonly byte[]? _secret;
    private readonly byte[]? _token;
    private readonly byte[]? _readToken;
    private readonly TimeProvider _time;
    private readonly ReplayGuard _replays;

    /// <param name="secret">The HMAC secret, or null.</param>
    /// <param name="token">The bearer token for hooks, or null.</param>
    /// <param name="readToken">The bearer token reads need, or null (reads are public).</param>
    /// <param name="window">How far a timestamp may be from the server's clock, either way (default 5 minutes).</param>
    /// <param name="time">The clock (tests move it).</param>
    internal HookAuth(byte[]? secret, byte[]? token, byte[]? readToken, TimeSpan? window = null, TimeProvider? time = null)
    {
        _secret = secret;
        _token = token;
        _readToken = readToken;
        _time = time ?? TimeProvider.System;
        Window = window ?? TimeSpan.FromMinutes(5);
        _replays = new ReplayGuard(_time, Window);
        Unpublished = new UnpublishLedger(_time, Window);
    }

    internal TimeSpan Window { get; }

    /// <summary>When signed unpublishes were signed, per item: a publish signed before is refused.</summary>
    internal UnpublishLedger Unpublished { get; }

    internal bool Configured => _secret is not null || _token is not null;

    internal bool ReadsProtected => _readToken is not null;

    /// <summary>The route a request signs: <c>/hooks/{job}</c> or <c>/hooks/{job}/{id}</c>, each segment percent-encoded.</summary>
    internal static string Route(string job, string? id) =>
        "/hooks/" + Uri.EscapeDataString(job) + (id is null ? string.Empty : "/" + Uri.EscapeDataString(id));

    /// <summary>
    /// What can be decided from the headers alone, before the body is read: accepted (no secret, or a good bearer
    /// token), refused with a reason, or a signature whose timestamp is in the window, to be checked against the body.
    /// </summary>
    internal WriteCheck Begin(string method, string route, Func<string, string?> headers) => Begin(method, route, route, headers, null, null);

    /// <param name="method">The request's method.</param>
    /// <param name="route">The route BuildImages' own signature covers (<see cref="Route"/>).</param>
    /// <param name="pathAndQuery">The path and query as sent, which Contentful's signature covers.</param>
    /// <param name="headers">The request's headers.</param>
    /// <param name="mapping">The job's hook mapping (its signature scheme and own secret), or null for BuildImages' scheme and the server's secrets.</param>
    /// <param name="baseDirectory">Where a relative secret file is, the configuration's folder.</param>
    internal WriteCheck Begin(string method, string route, string pathAndQuery, Func<string, string?> headers, HookMapping? mapping, string? baseDirectory)
    {
        byte[]? own = null;
        if (mapping?.Secret is { } source)
        {
            (own, var problem) = JobSecret(source, baseDirectory);
            if (own is null)
            {
                return WriteCheck.Refuse(problem!, StatusCodes.Status500InternalServerError);
            }
        }
        if (!Configured && own is null)
        {
            return WriteCheck.Accepted;
        }
        // The operator's bearer token is good for every job, whatever the job's CMS signs with.
        if (_token is not null && Bearer(headers) is { } offered && SameSecret(offered, _token))
        {
            return WriteCheck.Accepted;
        }
        var scheme = mapping?.Signature ?? HookSignature.BuildImages;
        var key = own ?? (scheme == HookSignature.Token ? _token : _secret);
        if (key is null)
        {
            return WriteCheck.Refuse($"this job's hooks are {Describe(scheme)} and the server has no {(scheme == HookSignature.Token ? "token" : "secret")} for it: set the job's \"secret\" in \"hooks\" or {(scheme == HookSignature.Token ? "BUILDIMAGES_HOOK_TOKEN" : "BUILDIMAGES_HOOK_SECRET")}",
                scheme == HookSignature.BuildImages ? StatusCodes.Status401Unauthorized : StatusCodes.Status500InternalServerError);
        }
        var nowMilliseconds = _time.GetUtcNow().ToUnixTimeMilliseconds();
        return scheme switch
        {
            HookSignature.Contentful => CmsSignatures.Contentful(method, pathAndQuery, headers, key, nowMilliseconds, Window),
            HookSignature.Sanity => CmsSignatures.Sanity(headers, key, nowMilliseconds, Window),
            HookSignature.Token => FixedToken(headers, mapping?.TokenHeader ?? "Authorization", key),
            _ => Own(method, route, headers, key),
        };
    }

    private static string Describe(HookSignature scheme) => scheme switch
    {
        HookSignature.Contentful => "signed the Contentful way",
        HookSignature.Sanity => "signed the Sanity way",
        HookSignature.Token => "authenticated by a token",
        _ => "signed",
    };

    /// <summary>A fixed secret in a header the CMS was told to send: <c>Authorization: Bearer TOKEN</c>, or the bare token in another header.</summary>
    private static WriteCheck FixedToken(Func<string, string?> headers, string header, byte[] token)
    {
        var value = headers(header);
        if (value is not null && string.Equals(header, "Authorization", StringComparison.OrdinalIgnoreCase) && value.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            value = value[7..];
        }
        return value is not null && SameSecret(value.Trim(), token) ? WriteCheck.Accepted : WriteCheck.Refuse($"the request has no valid token in its {header} header");
    }

    /// <summary>BuildImages' own signature (or no valid one): what the headers tell before the body is read.</summary>
    private WriteCheck Own(string method, string route, Func<string, string?> headers, byte[] key)
    {
        var header = headers(SignatureHeader);
        if (header is null)
        {
            return WriteCheck.Refuse(_token is null
                ? $"the request has no {SignatureHeader} header"
                : $"the request has no valid bearer token and no {SignatureHeader} header");
        }
        if (!header.StartsWith(SchemePrefix, StringComparison.Ordinal) || !TryHex(header.AsSpan(SchemePrefix.Length), out var signature))
        {
            return WriteCheck.Refuse($"the signature must be {SchemePrefix} followed by the hex HMAC-SHA256 of timestamp, method, route and body (the body-only sha256= form is no longer accepted: it could be replayed to any job or item)");
        }
        if (!long.TryParse(headers(TimestampHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WriteCheck.Refuse($"a signed request needs {TimestampHeader}: the Unix time in seconds it was signed at");
        }
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - seconds) > Window.TotalSeconds)
        {
            return WriteCheck.Refuse(string.Create(CultureInfo.InvariantCulture, $"the signature's timestamp is {Math.Abs(now - seconds)} s from the server's clock, more than the {Window.TotalSeconds:0} s allowed (sign each request when it is sent)"));
        }
        return new WriteCheck(null, signature, string.Create(CultureInfo.InvariantCulture, $"{seconds}\n{method}\n{route}\n"), seconds * 1000, string.Equals(method, "DELETE", StringComparison.OrdinalIgnoreCase)) { Key = key };
    }

    /// <summary>
    /// True the first time a signed unpublish is seen within the window. A DELETE is checked in <see cref="Finish"/>; an
    /// unpublish a CMS POSTs is known only once its body is read, so the endpoint asks here.
    /// </summary>
    internal bool FirstUnpublish(byte[] signature) => _replays.FirstUse(signature);

    /// <summary>A job's own secret, read when its hook arrives (an edit to the configuration or the file applies at once), or why it cannot be.</summary>
    private static (byte[]? Secret, string? Problem) JobSecret(HookSecretSource source, string? baseDirectory)
    {
        if (source.EnvironmentVariable is { } variable)
        {
            return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
                ? (Encoding.UTF8.GetBytes(value), null)
                : (null, $"the job's secret is the environment variable {variable}, which is not set on the server");
        }
        var file = Path.GetFullPath(source.File!, baseDirectory ?? Directory.GetCurrentDirectory());
        try
        {
            var text = File.ReadAllText(file).TrimEnd('\r', '\n');
            return text.Length > 0 ? (Encoding.UTF8.GetBytes(text), null) : (null, $"the job's secret file {source.File} is empty");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"the job's secret file {source.File} cannot be read: {ex.Message}");
        }
    }

    /// <summary>Checks a pending signature against the body: null when it matches and was not seen before, else why not.</summary>
    internal string? Finish(WriteCheck check, ReadOnlySpan<byte> body)
    {
        if (check.Signature is null || check.Signed is null)
        {
            return check.Refused;
        }
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, check.Key ?? _secret!);
        hmac.AppendData(Encoding.UTF8.GetBytes(check.Signed));
        hmac.AppendData(body);
        if (!CryptographicOperations.FixedTimeEquals(hmac.GetHashAndReset(), check.Signature))
        {
            return check.Mismatch;
        }
        // Sending a publish twice renders nothing new; an unpublish twice could undo a publish made in between.
        return !check.Unpublish || _replays.FirstUse(check.Signature) ? null : "this signed unpublish was already accepted once (a replay); sign each request anew";
    }

    /// <summary>Null when reads are public or the request carries the read token (or the write token).</summary>
    internal string? CheckRead(Func<string, string?> headers)
    {
        if (_readToken is null)
        {
            return null;
        }
        return Bearer(headers) is { } offered && (SameSecret(offered, _readToken) || (_token is not null && SameSecret(offered, _token))) ? null : "this server's reads need a bearer token";
    }

    private static string? Bearer(Func<string, string?> headers) =>
        headers("Authorization") is { } value && value.StartsWith("Bearer ", StringComparison.Ordinal) ? value[7..].Trim() : null;

    // Hashing both first makes the comparison's time independent of the lengths as well as the bytes.
    private static bool SameSecret(string offered, byte[] secretBytes) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(offered)), SHA256.HashData(secretBytes));

    private static bool TryHex(ReadOnlySpan<char> hex, out byte[] bytes)
    {
        bytes = [];
        if (hex.Length != 64)
        {
            return false;
        }
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// A secret from an environment variable, else from a file (trailing newline dropped), else null. A file that is
    /// missing, a folder, unreadable or empty is a usage error naming it.
    /// </summary>
    internal static byte[]? Load(string? environmentVariable, string? file)
    {
        if (environmentVariable is not null && Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } value)
        {
            return Encoding.UTF8.GetBytes(value);
        }
        if (file is null)
        {
            return null;
        }
        string text;
        try
        {
            text = Directory.Exists(file) ? throw new IOException("it is a folder, not a file") : File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ToolErrors.Usage($"the secret file cannot be read: {ex.Message}", file);
        }
        return text.Length > 0 ? Encoding.UTF8.GetBytes(text) : throw ToolErrors.Usage("the secret file is empty", file);
    }
}
