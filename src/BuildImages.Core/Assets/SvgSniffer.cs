using System.Text;

namespace BuildImages.Core.Assets;

/// <summary>Recognises SVG documents by their first bytes.</summary>
internal static class SvgSniffer
{
    internal static bool LooksLikeSvg(byte[] bytes)
    {
        var head = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 1024)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return head.StartsWith("<svg", StringComparison.OrdinalIgnoreCase)
            || (head.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase) && head.Contains("<svg", StringComparison.OrdinalIgnoreCase))
            || (head.StartsWith("<!--", StringComparison.Ordinal) && head.Contains("<svg", StringComparison.OrdinalIgnoreCase));
    }
}
