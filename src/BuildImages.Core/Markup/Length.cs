namespace BuildImages.Core.Markup;

/// <summary>A length in card pixels or a percentage of the parent's content box.</summary>
public readonly record struct Length(double Value, bool IsPercent)
{
    public double Resolve(double reference) => IsPercent ? reference * Value / 100 : Value;
}
