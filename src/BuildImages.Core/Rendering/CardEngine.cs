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
        Fonts = new FontCatalog(options.FontFolders, options.SystemFonts, options.ShippedFonts ? EngineOptions.ShippedFontFolder() : null);
        Templates = new TemplateCatalog(options.TemplateRoots);
        Assets = new AssetResolver(options.AssetRoots);
        Images = new DecodedImageCache(options.ImageCacheBytes);
        Compiler = new ScribanTemplateEngine(options.Templates with { Strict = options.Strict || options.Templates.Strict });
        Text = new Drawing.SkiaText(Fonts.Set);
    }

    public EngineOptions Options { get; }
    public FontCatalog Fonts { get; }
    public TemplateCatalog Templates { get; }
    public AssetResolver Assets { get; }

    /// <summary>Decoded images every renderer of this engine shares (see <see cref="EngineOptions.ImageCacheBytes"/>).</summary>
    internal DecodedImageCache Images { get; }

    /// <summary>What the shared image cache has done so far.</summary>
    public ImageCacheStats ImageCache => Images.Stats();
    public ITemplateEngine Compiler { get; }

    /// <summary>The fonts as HarfBuzz shapes with them and Skia draws them, shared by every renderer.</summary>
    internal Drawing.SkiaText Text { get; }

    /// <summary>A renderer for the calling thread (libvips keeps per-thread buffers it releases; do not share it between threads).</summary>
    public CardRenderer CreateRenderer() => new(this);

    public void Dispose() => Text.Dispose();
}
