namespace BuildImages.Core.Markup;

/// <summary>A drop shadow: offset, blur radius (CSS blur: about twice the Gaussian sigma) and colour.</summary>
internal sealed record Shadow(double OffsetX, double OffsetY, double Blur, Rgba Color);
