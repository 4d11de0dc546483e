using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

/// <summary>
/// Loads the native imaging stack once per process and fails with one message that names every
/// missing library and the command that installs it.
/// </summary>
public static class NativeStack
{
    private static readonly Lazy<NativeVersions> Loaded = new(LoadAll, LazyThreadSafetyMode.ExecutionAndPublication);

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The resolver must be in place before any LibraryImport runs.")]
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeStack).Assembly, NativeLibraryNames.Resolve);

    /// <summary>Versions of the loaded native libraries (part of every cache key).</summary>
    public static NativeVersions Versions => Loaded.Value;

    /// <summary>Whether anything in this process has loaded the native stack (a no-op build must not).</summary>
    public static bool IsLoaded => Loaded.IsValueCreated;

    /// <summary>Ensures the stack is loaded and initialised; throws <see cref="NativeDependencyException"/> otherwise.</summary>
    public static void EnsureLoaded() => _ = Loaded.Value;

    private static NativeVersions LoadAll()
    {
        // Before the first image is encoded: every buffer of every variant is allocated under it.
        MallocTuning.Apply();
        var missing = new List<string>();
        foreach (var logical in NativeLibraryNames.All)
        {
            if (NativeLibraryNames.Resolve(logical, typeof(NativeStack).Assembly, null) == IntPtr.Zero)
            {
                missing.Add($"{logical} ({string.Join(" / ", NativeLibraryNames.Candidates(logical))})");
            }
        }
        if (missing.Count > 0)
        {
            throw new NativeDependencyException(missing);
        }
        var vips = VipsRuntime.Initialise();
        return new NativeVersions(
            Vips: vips,
            Skia: SkiaSharp.SkiaSharpVersion.Native.ToString(),
            HarfBuzz: PackageVersion(typeof(HarfBuzzSharp.Blob).Assembly));
    }

    /// <summary>A bundled native library is as its package built it: the package's version names it.</summary>
    private static string PackageVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "?";

    internal static string InstallHint =>
        """
        BuildImages bundles libvips for linux-x64, linux-arm64, linux-musl-x64, osx-x64, osx-arm64, win-x64 and win-arm64;
        on another platform install it:
          Debian/Ubuntu: sudo apt-get install libvips42
          Fedora:        sudo dnf install vips
          Alpine:        apk add vips
          macOS:         brew install vips
          Windows:       download libvips' "all" build (github.com/libvips/build-win64-mxe) and put its bin folder on PATH
        """;
}

/// <summary>Versions of the native libraries that decide output bytes.</summary>
public sealed record NativeVersions(string Vips, string Skia, string HarfBuzz)
{
    public override string ToString() => $"vips {Vips}; skia {Skia}; harfbuzz {HarfBuzz}";
}

/// <summary>A native library BuildImages needs is not installed.</summary>
public sealed class NativeDependencyException(IReadOnlyList<string> missing)
    : Exception("BuildImages needs native libraries that are not installed: " + string.Join(", ", missing) + Environment.NewLine + NativeStack.InstallHint)
{
    public IReadOnlyList<string> Missing { get; } = missing;
}
