namespace BuildImages.Core.Markup;

/// <summary>Inheritable text properties; null means "inherit from the parent".</summary>
internal sealed record TextStyle
{
    public string? FontFamily { get; init; }
    public double? Size { get; init; }
    public int? Weight { get; init; }
    public bool? Italic { get; init; }
    public Rgba? Color { get; init; }
    public double? LineHeight { get; init; }
    public double? LetterSpacing { get; init; }
    public TextAlign? Align { get; init; }
    public string? FontVariations { get; init; }

    /// <summary>CSS <c>word-break: keep-all</c> (inherited): Korean and CJK break only between words, at spaces and punctuation.</summary>
    public bool? KeepAll { get; init; }

    /// <summary>The writing direction (inherited): right-to-left rows are mirrored.</summary>
    public WritingDirection? Direction { get; init; }

    public static TextStyle Empty { get; } = new();

    /// <summary>The root style every card starts from.</summary>
    public static TextStyle Defaults { get; } = new()
    {
        FontFamily = "Inter, Noto Sans, Noto Sans CJK JP, Noto Color Emoji, sans-serif",
        Size = 32,
        Weight = 400,
        Italic = false,
        Color = Rgba.Black,
        LineHeight = 1.2,
        LetterSpacing = 0,
        Align = TextAlign.Start,
        Direction = WritingDirection.Ltr,
        KeepAll = false,
    };

    /// <summary>This style's values where set, the parent's otherwise.</summary>
    public TextStyle Over(TextStyle parent) => new()
    {
        FontFamily = FontFamily ?? parent.FontFamily,
        Size = Size ?? parent.Size,
        Weight = Weight ?? parent.Weight,
        Italic = Italic ?? parent.Italic,
        Color = Color ?? parent.Color,
        LineHeight = LineHeight ?? parent.LineHeight,
        LetterSpacing = LetterSpacing ?? parent.LetterSpacing,
        Align = Align ?? parent.Align,
        FontVariations = FontVariations ?? parent.FontVariations,
        Direction = Direction ?? parent.Direction,
        KeepAll = KeepAll ?? parent.KeepAll,
    };
}
