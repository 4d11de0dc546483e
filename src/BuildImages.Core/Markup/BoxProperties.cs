namespace BuildImages.Core.Markup;

/// <summary>The box attributes every element shares: x/y (absolute when either is set), size, grow, opacity.</summary>
internal sealed record BoxProperties(Length? X, Length? Y, Length? Width, Length? Height, double Grow, double Opacity)
{
    public static BoxProperties Default { get; } = new(null, null, null, null, 0, 1);
}
