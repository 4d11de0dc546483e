using BuildImages.Core.Assets;
namespace BuildImages.Core.Imaging;

/// <summary>Where a build right-sizes a photo: in this process, or in a sandbox process a crashing decoder cannot take the build down with.</summary>
public interface IPhotoProcessing
{
    /// <summary>
    /// <see cref="PhotoProcessor.ProcessAll(PhotoFile, IReadOnlyList{PhotoRequest}, PhotoSettings, ValueTuple{double, double}?)"/>
    /// where the file is decoded: throws
    /// <see cref="ImageRejectedException"/> for a file it will not or cannot decode, and an <see cref="IOException"/>
    /// (<see cref="SourceChangedException"/> among them) for one it cannot read as it was hashed.
    /// </summary>
    ProcessedFile ProcessAll(PhotoFile source, IReadOnlyList<PhotoRequest> requests, PhotoSettings settings, (double X, double Y)? focus);
}

/// <summary>Photos right-sized on the build's own threads (the MSBuild task and the Core API default).</summary>
internal sealed class InProcessPhotos : IPhotoProcessing
{
    public static InProcessPhotos Instance { get; } = new();

    public ProcessedFile ProcessAll(PhotoFile source, IReadOnlyList<PhotoRequest> requests, PhotoSettings settings, (double X, double Y)? focus) =>
        PhotoProcessor.ProcessAll(source, requests, settings, focus);
}
