namespace BuildImages.Core.Encoders;

/// <summary>Output formats.</summary>
public enum ImageFormat { WebP, Jpeg, Png, Avif }
