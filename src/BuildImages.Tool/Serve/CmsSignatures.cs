using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BuildImages.Tool.Serve;

/// <summary>
/// The request signatures CMSs send, read from the headers (<see cref="HookAuth"/> checks the HMAC against the body).
/// <para><b>Contentful</b> (request verification): <c>x-contentful-signature</c> is the hex HMAC-SHA256 of
/// <c>METHOD\npath\nheaders\nbody</c>, where path is the request's path and query as sent (URI-encoded the way
/// JavaScript's encodeURI does), headers are the ones <c>x-contentful-signed-headers</c> lists (it lists itself and
/// <c>x-contentful-timestamp</c>), each <c>name:value</c> with the name lower-cased and the value trimmed, sorted by
/// name and joined with ';'. The timestamp is in milliseconds.</para>
/// <para><b>Sanity</b>: <c>sanity-webhook-signature: t=MILLISECONDS,v1=SIGNATURE</c>, the unpadded base64url
/// HMAC-SHA256 of <c>"{t}.{body}"</c>.</para>
/// Both timestamps must be within the server's window, as BuildImages' own are.
/// </summary>
internal static partial class CmsSignatures
{
    internal const string ContentfulSignature = "x-contentful-signature";
    internal const string ContentfulSignedHeaders = "x-contentful-signed-headers";
    internal const string ContentfulTimestamp = "x-contentful-timestamp";
    internal const string SanitySignature = "sanity-webhook-signature";

    internal static WriteCheck Contentful(string method, string pathAndQuery, Func<string, string?> headers, byte[] key, long nowMilliseconds, TimeSpan window)
    {
        var signature = headers(ContentfulSignature);
        if (signature is null || signature.Length != 64 || !TryHex(signature, out var expected))
        {
            return WriteCheck.Refuse($"a Contentful-signed hook needs {ContentfulSignature} (64 hex digits): turn on request verification for the webhook in Contentful");
        }
        if (!long.TryParse(headers(ContentfulTimestamp), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return WriteCheck.Refuse($"a Contentful-signed hook needs {ContentfulTimestamp}, the time it was signed in milliseconds");
        }
        if (TooFar(milliseconds, nowMilliseconds, window) is { } far)
        {
            return WriteCheck.Refuse(far);
        }
        var names = (headers(ContentfulSignedHeaders) ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(n => n.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        // The timestamp must be signed, or a captured request could be sent again with a fresh one.
        if (!names.Contains(ContentfulTimestamp, StringComparer.Ordinal) || !names.Contains(ContentfulSignedHeaders, StringComparer.Ordinal))
        {
            return WriteCheck.Refuse($"{ContentfulSignedHeaders} must list {ContentfulTimestamp} and itself");
        }
        var pairs = new List<string>(names.Count);
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            if (headers(name) is not { } value)
            {
                return WriteCheck.Refuse($"the signed header {name} is not in the request");
            }
            pairs.Add($"{name}:{value.Trim()}");
        }
        var signed = $"{method.ToUpperInvariant()}\n{EncodeUri(pathAndQuery)}\n{string.Join(';', pairs)}\n";
        return new WriteCheck(null, expected, signed, milliseconds)
        {
            Key = key,
            Mismatch = "the Contentful signature does not match the request's method, path, signed headers and body (is it the webhook's secret, and does a proxy change the path?)",
        };
    }

    internal static WriteCheck Sanity(Func<string, string?> headers, byte[] key, long nowMilliseconds, TimeSpan window)
    {
        var header = headers(SanitySignature);
        var match = header is null ? null : SanityHeader().Match(header.Trim());
        if (match is not { Success: true } || !TryBase64Url(match.Groups[2].Value, out var expected))
        {
            return WriteCheck.Refuse($"a Sanity-signed hook needs {SanitySignature}: t=<milliseconds>,v1=<signature>: set a secret on the webhook in Sanity");
        }
        var milliseconds = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        if (TooFar(milliseconds, nowMilliseconds, window) is { } far)
        {
            return WriteCheck.Refuse(far);
        }
        return new WriteCheck(null, expected, string.Create(CultureInfo.InvariantCulture, $"{milliseconds}."), milliseconds)
        {
            Key = key,
            Mismatch = "the Sanity signature does not match the timestamp and body (is it the webhook's secret?)",
        };
    }

    private static string? TooFar(long signedMilliseconds, long nowMilliseconds, TimeSpan window)
    {
        var apart = Math.Abs(nowMilliseconds - signedMilliseconds) / 1000;
        return apart > window.TotalSeconds
            ? string.Create(CultureInfo.InvariantCulture, $"the signature's timestamp is {apart} s from the server's clock, more than the {window.TotalSeconds:0} s allowed")
            : null;
    }

    /// <summary>
    /// Contentful's path form: the query escaped as a whole (Node's querystring.escape), then encodeURI over path and
    /// query: everything but letters, digits and <c>;,/?:@&amp;=+$-_.!~*'()#</c> is percent-encoded as UTF-8.
    /// </summary>
    internal static string EncodeUri(string pathAndQuery)
    {
        var at = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (at < 0 || at == pathAndQuery.Length - 1)
        {
            return Escape(at < 0 ? pathAndQuery : pathAndQuery[..at], UriReserved);
        }
        return Escape(pathAndQuery[..at] + "?" + Escape(pathAndQuery[(at + 1)..], "-_.!~*'()"), UriReserved);
    }

    private const string UriReserved = ";,/?:@&=+$-_.!~*'()#";

    private static string Escape(string text, string keep)
    {
        var sb = new StringBuilder(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c) || keep.Contains(c, StringComparison.Ordinal))
            {
                sb.Append(c);
                continue;
            }
            var length = char.IsHighSurrogate(c) && i + 1 < text.Length
                ? Encoding.UTF8.GetBytes(text.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(text.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    private static bool TryHex(string hex, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    private static bool TryBase64Url(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var written) && written == 32 && (bytes = bytes[..written]).Length == 32;
    }

    [GeneratedRegex(@"^t=(\d{1,15})[, ]+v1=([A-Za-z0-9_\-]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SanityHeader();
}
