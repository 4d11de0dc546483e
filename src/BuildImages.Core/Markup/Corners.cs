namespace BuildImages.Core.Markup;

/// <summary>Corner radii, CSS order (top-left top-right bottom-right bottom-left).</summary>
internal readonly record struct Corners(double TopLeft, double TopRight, double BottomRight, double BottomLeft)
{
    public bool IsZero => TopLeft <= 0 && TopRight <= 0 && BottomRight <= 0 && BottomLeft <= 0;

    /// <summary>The radii a w×h box draws (CSS: radii that do not fit are scaled down together).</summary>
    public Corners FittedTo(double w, double h)
    {
        var f = Math.Min(1, Math.Min(
            Math.Min(w / Math.Max(1e-9, TopLeft + TopRight), w / Math.Max(1e-9, BottomLeft + BottomRight)),
            Math.Min(h / Math.Max(1e-9, TopLeft + BottomLeft), h / Math.Max(1e-9, TopRight + BottomRight))));
        return new Corners(TopLeft * f, TopRight * f, BottomRight * f, BottomLeft * f);
    }
}
