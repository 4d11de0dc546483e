namespace BuildImages.Core.Markup;

/// <summary>Corner radii, CSS order (top-left top-right bottom-right bottom-left).</summary>
internal readonly record struct Corners(double TopLeft, double TopRight, double BottomRight, double BottomLeft)
{
    public bool IsZero => TopLeft <= 0 && TopRight <= 0 && BottomRight <= 0 && BottomLeft <= 0;
}
