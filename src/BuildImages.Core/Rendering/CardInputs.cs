namespace BuildImages.Core.Rendering;

/// <summary>The files a render read, by role; their bytes go into cache keys.</summary>
public sealed record CardInputs(IReadOnlyList<string> TemplateFiles, IReadOnlyList<string> FontFiles, IReadOnlyList<string> AssetFiles)
{
    public IEnumerable<string> All => TemplateFiles.Concat(FontFiles).Concat(AssetFiles);
}
