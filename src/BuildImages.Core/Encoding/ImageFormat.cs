namespace BuildImages.Core.Encoding;

/// <summary>Output formats.</summary>
public enum ImageFormat { WebP, Jpeg, Png, Avif }
