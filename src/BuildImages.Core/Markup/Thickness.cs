namespace BuildImages.Core.Markup;

/// <summary>Padding on four sides, CSS order (top right bottom left).</summary>
internal readonly record struct Thickness(double Top, double Right, double Bottom, double Left)
{
    public double Horizontal => Left + Right;
    public double Vertical => Top + Bottom;
}
