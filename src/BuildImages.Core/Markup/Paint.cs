namespace BuildImages.Core.Markup;

/// <summary>How an area is filled: a colour or a gradient.</summary>
internal abstract record Paint;

internal sealed record SolidPaint(Rgba Color) : Paint;

/// <summary>One colour stop; <see cref="Offset"/> in 0..1.</summary>
internal readonly record struct GradientStop(double Offset, Rgba Color);

/// <summary>CSS-style linear gradient; 0deg points up, 90deg to the right.</summary>
internal sealed record LinearGradientPaint(double AngleDegrees, IReadOnlyList<GradientStop> Stops) : Paint;

/// <summary>CSS-style radial gradient centred at a fraction of the box, reaching the farthest corner.</summary>
internal sealed record RadialGradientPaint(double CenterX, double CenterY, IReadOnlyList<GradientStop> Stops) : Paint;
