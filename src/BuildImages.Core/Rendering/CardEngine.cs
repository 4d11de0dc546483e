using BuildImages.Core.Assets;
using BuildImages.Core.Native;
using BuildImages.Core.Templates;
using BuildImages.Core.Text;
using BuildImages.Core.Configuration;

namespace BuildImages.Core.Rendering;

/// <summary>
/// The shared part of the engine: fonts, templates, asset roots. Thread-safe; each worker thread
/// makes its own <see cref="CardRenderer"/> with <see cref="CreateRenderer"/>.
/// </summary>
public sealed class CardEngine : IDisposable
{
    public CardEngine(EngineOptions options)
    {
        NativeStack.EnsureLoaded();
        Options = options;
        Fonts = new FontCatalog(options.FontFolders, options.SystemFonts);
        Templates = new TemplateCatalog(options.TemplateRoots);
        Assets = new AssetResolver(options.AssetRoots);
        Images = new DecodedImageCache(options.ImageCacheBytes);
        Compiler = new ScribanTemplateEngine(options.Templates with { Strict = options.Strict || options.Templates.Strict });
        _portableText = new Lazy<Drawing.SkiaText>(() => new Drawing.SkiaText(FontSet.Scan(
            [.. options.FontFolders.Select(f => new FontFolder(f, FontOrigin.Project)), .. options.SystemFonts ? FontFolder.System() : []])));
    }

    private readonly Lazy<Drawing.SkiaText> _portableText;

    public EngineOptions Options { get; }
    public FontCatalog Fonts { get; }
    public TemplateCatalog Templates { get; }
    public AssetResolver Assets { get; }

    /// <summary>Decoded images every renderer of this engine shares (see <see cref="EngineOptions.ImageCacheBytes"/>).</summary>
    internal DecodedImageCache Images { get; }

    /// <summary>What the shared image cache has done so far.</summary>
    public ImageCacheStats ImageCache => Images.Stats();
    public ITemplateEngine Compiler { get; }

    /// <summary>
    /// The portable text stack (issue 25): the project's font folders, then the machine's (unless system fonts are
    /// off), read without fontconfig when first asked for. Only the Skia painter's parity tests ask until the cut-over.
    /// </summary>
    internal Drawing.SkiaText PortableText => _portableText.Value;

    /// <summary>A renderer for the calling thread (it owns a pango context; do not share it between threads).</summary>
    public CardRenderer CreateRenderer() => new(this);

    public void Dispose()
    {
        Fonts.Dispose();
        if (_portableText.IsValueCreated)
        {
            _portableText.Value.Dispose();
        }
    }
}
