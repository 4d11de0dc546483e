using System.Text.Json;

namespace BuildImages.Core.Caching;

/// <summary>
/// The <c>ac/</c> entry of a whole card: <c>{"card": …, "signature": …}</c>, the card kept as the exact bytes the
/// build wrote (the signature covers them), read defensively (anyone who can write the cache wrote it).
/// </summary>
internal static class ItemEntry
{
    /// <summary>A card's input set is a few kilobytes; anything much larger is not ours.</summary>
    internal const long MaxBytes = 1 << 20;

    internal static byte[] Wrap(byte[] card, string? signature)
    {
        using var memory = new MemoryStream();
        using (var json = new Utf8JsonWriter(memory))
        {
            json.WriteStartObject();
            json.WritePropertyName("card");
            json.WriteRawValue(card);
            if (signature is not null)
            {
                json.WriteString("signature", signature);
            }
            json.WriteEndObject();
        }
        return memory.ToArray();
    }

    internal static (byte[] Card, string? Signature)? Unwrap(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var signature = root.TryGetProperty("signature", out var s) ? s.GetString() : null;
            return root.GetProperty("card") is { ValueKind: JsonValueKind.Object } card
                && (signature is null || (signature.Length == 64 && signature.All(char.IsAsciiHexDigitLower)))
                ? (System.Text.Encoding.UTF8.GetBytes(card.GetRawText()), signature)
                : null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
