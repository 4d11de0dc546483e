using System.Runtime.InteropServices;
using NetVips;

namespace BuildImages.Core.Native;

/// <summary>
/// The process-wide libvips settings, set once and in one place (NetVips initialises libvips itself): no operation
/// cache and one thread per image (we parallelise across images), only the loaders we list, and GLib warnings
/// routed to <see cref="VipsWarnings"/> instead of raw lines on stderr.
/// </summary>
internal static partial class VipsRuntime
{
    /// <summary>
    /// libvips' loader classes we allow, each the parent of its file, buffer and source loaders. Everything else
    /// (ImageMagick, poppler, OpenJPEG, OpenEXR, FITS, Matlab, raw, CSV…) is refused for every image, card or photo.
    /// SVG is not here: only <see cref="SvgBufferLoader"/> is unblocked, and only <see cref="Assets.SvgImage"/> calls it,
    /// by name, with the filter budget; the probe that picks a loader for every other image never accepts it.
    /// </summary>
    internal static readonly IReadOnlyList<(string Class, string Format)> AllowedLoaders =
    [
        ("VipsForeignLoadJpeg", "JPEG"),
        // UltraHDR (a JPEG with a gain map, as Android phones take them): libvips 8.18 claims it before jpegload and
        // reads its standard-range base image, which is what a card or a web variant shows.
        ("VipsForeignLoadUhdr", "JPEG"),
        ("VipsForeignLoadPng", "PNG"),
        ("VipsForeignLoadWebp", "WebP"),
        ("VipsForeignLoadNsgif", "GIF"),
        ("VipsForeignLoadTiff", "TIFF"),
        ("VipsForeignLoadHeif", "AVIF/HEIF"),
    ];

    /// <summary>libvips' SVG loader from memory (librsvg, with no base file: external references are refused).</summary>
    internal const string SvgBufferLoader = "VipsForeignLoadSvgBuffer";

    /// <summary>The formats we read, as messages name them.</summary>
    internal static string AllowedFormats => string.Join(", ", AllowedLoaders.Select(l => l.Format).Distinct(StringComparer.Ordinal)) + ", SVG";

    internal static string Initialise()
    {
        if (!ModuleInitializer.VipsInitialized)
        {
            throw new NativeDependencyException(["libvips failed to initialise: " + (ModuleInitializer.Exception?.Message ?? "no reason given")]);
        }
        Cache.Max = 0;
        NetVips.NetVips.Concurrency = 1;
        Operation.Block("VipsForeignLoad", true);
        foreach (var (loaderClass, _) in AllowedLoaders)
        {
            Operation.Block(loaderClass, false);
        }
        Operation.Block(SvgBufferLoader, false);
        foreach (var domain in new[] { "VIPS", "GLib-GObject", "GLib" })
        {
            Log.SetLogHandler(domain, Enums.LogLevelFlags.Warning | Enums.LogLevelFlags.Message | Enums.LogLevelFlags.Info | Enums.LogLevelFlags.Debug, VipsWarnings.Receive);
        }
        return $"{NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}";
    }

    /// <summary>Frees libvips' per-thread buffers when one of our worker threads ends (NetVips does not expose it).</summary>
    internal static void ThreadShutdown() => vips_thread_shutdown();

    [LibraryImport(NativeLibraryNames.Vips)]
    private static partial void vips_thread_shutdown();
}
