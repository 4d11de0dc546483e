namespace BuildImages.Core.Markup;

/// <summary>The card markup vocabulary: which elements exist and which attributes each accepts.</summary>
internal static class MarkupSchema
{
    private static readonly string[] Box = ["x", "y", "width", "height", "grow", "opacity", "id"];
    private static readonly string[] TextStyleAttributes = ["font-family", "font-size", "font-weight", "font-style", "color", "line-height", "letter-spacing", "text-align", "font-variations", "dir", "word-break"];
    private static readonly string[] ContainerAttributes = ["gap", "padding", "align", "justify", "background", "radius", "stroke", "stroke-width", "shadow", "clip"];

    /// <summary>Allowed attributes per element name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Elements { get; } = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["card"] = Set(["width", "height", "direction", "id"], ContainerAttributes, TextStyleAttributes),
        ["stack"] = Set(["direction"], Box, ContainerAttributes, TextStyleAttributes),
        ["row"] = Set(Box, ContainerAttributes, TextStyleAttributes),
        ["column"] = Set(Box, ContainerAttributes, TextStyleAttributes),
        ["spacer"] = Set(Box),
        ["text"] = Set(["max-lines", "min-font-size", "valign", "shadow", "background", "padding", "radius"], Box, TextStyleAttributes),
        ["span"] = Set(["background", "underline", "strikethrough"], TextStyleAttributes),
        ["b"] = Set([]),
        ["i"] = Set([]),
        ["br"] = Set([]),
        ["rect"] = Set(["fill", "radius", "stroke", "stroke-width", "shadow"], Box),
        ["ellipse"] = Set(["fill", "stroke", "stroke-width", "shadow"], Box),
        ["circle"] = Set(["fill", "stroke", "stroke-width", "shadow"], Box),
        ["line"] = Set(["x1", "y1", "x2", "y2", "stroke", "stroke-width", "cap", "opacity", "id"]),
        ["image"] = Set(["src", "fit", "focus", "radius", "circle", "shadow"], Box),
    };

    /// <summary>Elements allowed inside <c>text</c> and <c>span</c>.</summary>
    public static IReadOnlySet<string> InlineElements { get; } = new HashSet<string>(["span", "b", "i", "br"], StringComparer.Ordinal);

    private static HashSet<string> Set(params string[][] groups) =>
        new(groups.SelectMany(g => g), StringComparer.Ordinal);
}
