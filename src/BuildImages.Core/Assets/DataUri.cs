using System.Text;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Assets;

/// <summary>Decodes <c>data:[mime][;base64],payload</c> image references.</summary>
internal static class DataUri
{
    internal static AssetSource Decode(string reference)
    {
        var comma = reference.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            throw Bad(reference, "it has no ',' before the payload");
        }
        var header = reference[5..comma];
        var payload = reference[(comma + 1)..];
        var isBase64 = header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase);
        var mime = (isBase64 ? header[..^7] : header).Split(';')[0].Trim().ToLowerInvariant();
        byte[] bytes;
        try
        {
            bytes = isBase64 ? Convert.FromBase64String(payload) : Encoding.UTF8.GetBytes(Uri.UnescapeDataString(payload));
        }
        catch (FormatException)
        {
            throw Bad(reference, "its base64 payload is not valid");
        }
        return new AssetSource(Shorten(reference), bytes, null, mime == "image/svg+xml" || SvgSniffer.LooksLikeSvg(bytes));
    }

    private static BuildInputException Bad(string reference, string why) =>
        BuildInputException.Error(DiagnosticCodes.CorruptImage, $"image '{Shorten(reference)}' is not a valid data: URI: {why}");

    internal static string Shorten(string s) => s.Length <= 48 ? s : s[..48] + "…";
}
