namespace BuildImages.Core.Templates;

/// <summary>A card size in card pixels.</summary>
public readonly record struct CardSize(int Width, int Height)
{
    public override string ToString() => $"{Width}x{Height}";

    /// <summary>Parses "1200x630".</summary>
    public static bool TryParse(string text, out CardSize size)
    {
        size = default;
        var parts = text.Trim().ToLowerInvariant().Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var w) && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var h) && w is > 0 and <= 8192 && h is > 0 and <= 8192)
        {
            size = new CardSize(w, h);
            return true;
        }
        return false;
    }
}

/// <summary>A field a template reads; optional fields are defined as null when an item lacks them.</summary>
public sealed record TemplateField(string Name, bool Required, string Description);

/// <summary>
/// A template: its main file, the folders its partials may come from, and its declared fields and sizes
/// (from <c>template.json</c> beside the main file).
/// </summary>
public sealed record TemplateDefinition(
    string Name,
    string MainFile,
    IReadOnlyList<string> PartialRoots,
    IReadOnlyList<CardSize> Sizes,
    IReadOnlyList<TemplateField> Fields,
    string Description);
