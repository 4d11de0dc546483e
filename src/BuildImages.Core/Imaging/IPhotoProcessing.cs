using BuildImages.Core.Assets;
namespace BuildImages.Core.Imaging;

/// <summary>Where a build right-sizes a photo: in this process, or in a sandbox process a crashing decoder cannot take the build down with.</summary>
public interface IPhotoProcessing
{
    /// <summary>As <see cref="PhotoProcessor.ProcessAll"/>: throws <see cref="ImageRejectedException"/> for a file it will not or cannot read.</summary>
    ProcessedFile ProcessAll(byte[] source, IReadOnlyList<PhotoRequest> requests, PhotoSettings settings, (double X, double Y)? focus);
}

/// <summary>Photos right-sized on the build's own threads (the MSBuild task and the Core API default).</summary>
internal sealed class InProcessPhotos : IPhotoProcessing
{
    public static InProcessPhotos Instance { get; } = new();

    public ProcessedFile ProcessAll(byte[] source, IReadOnlyList<PhotoRequest> requests, PhotoSettings settings, (double X, double Y)? focus) =>
        PhotoProcessor.ProcessAll(source, requests, settings, focus);
}
