using System.Text.Json;
using System.Text;

namespace BuildImages.Core.Primitives;

/// <summary>
/// Finds a JSON string written with a lone UTF-16 surrogate escape ("\uD800" without its pair). JSON's grammar
/// allows it, but it is not text: System.Text.Json refuses to read it as a string. One such value in a CMS
/// payload must fail that file or item at its line and column, not the process.
/// </summary>
internal static class LoneSurrogateLocator
{
    internal const string Message = "a string holds a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair), which is not text";

    /// <summary>Line and column (1-based, in characters) of the first such string or property name, or null.</summary>
    internal static (int Line, int Column)? Find(ReadOnlySpan<byte> utf8, JsonReaderOptions options)
    {
        var reader = new Utf8JsonReader(utf8, options);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && !Readable(ref reader))
                {
                    return Utf8Text.Position(utf8, (int)reader.TokenStartIndex);
                }
            }
        }
        catch (JsonException)
        {
            // A syntax error is reported by the parser itself, with its own position.
        }
        return null;
    }

    /// <summary>Whether a string decoded by another reader (YAML escapes) holds a lone surrogate.</summary>
    internal static bool In(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Readable(ref Utf8JsonReader reader)
    {
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
