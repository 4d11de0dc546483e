using System.Reflection;
using System.Runtime.InteropServices;
using BuildImages.Core.Native;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Manifest;

/// <summary>
/// The engine and native library versions that go into every key. The native versions are read from the
/// manifest while the library files are unchanged (size and time), so a no-op build never loads them (on Linux, where
/// the files are stamped; elsewhere, and inside MSBuild, whose host does not list our packages' native folders, the
/// libraries are loaded to read them).
/// </summary>
internal static class EngineStamp
{
    /// <summary>Bump when drawing or encoding changes pixels without a version change.</summary>
    private const int RenderRevision = 4;

    public static string Managed { get; } =
        $"BuildImages {typeof(EngineStamp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"} r{RenderRevision}";

    /// <summary>The full stamp, and the native record for the next manifest.</summary>
    public static (string Stamp, NativeRecord Native) Current(NativeRecord? recorded)
    {
        var fileStamp = NativeFilesStamp();
        var versions = fileStamp is not null && recorded is not null && recorded.Stamp == fileStamp
            ? recorded.Versions
            : NativeStack.Versions.ToString();
        return ($"{Managed}; {versions}; system fonts {SystemFontsStamp()}", new NativeRecord(fileStamp ?? string.Empty, versions));
    }

    /// <summary>
    /// The fonts fallback may pick: every file in the system's font folders, by path, size and time.
    /// A font installed or updated there can change any card whose text falls back to it, so it is part of every
    /// key (and of the up-to-date record through the engine stamp). Managed file stats only: no native call.
    /// </summary>
    internal static string SystemFontsStamp() => SystemFontsStamp(SystemFontFolders());

    internal static IEnumerable<string> SystemFontFolders() => Text.FontFolder.System().Select(f => f.Path);

    internal static string SystemFontsStamp(IEnumerable<string> folders)
    {
        var parts = new List<string>();
        foreach (var folder in folders.Where(Directory.Exists))
        {
            try
            {
                foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }))
                {
                    parts.Add($"{file.FullName}:{file.Length}:{file.LastWriteTimeUtc.Ticks}");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                parts.Add(folder + ":unreadable");
            }
        }
        parts.Sort(StringComparer.Ordinal);
        return BuildImages.Core.Primitives.ContentHash.OfParts(parts)[..16];
    }

    /// <summary>Size and time of each native library file as the loader would find it; null when one is not found here.</summary>
    private static string? NativeFilesStamp()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var triplet = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x86_64-linux-gnu",
            Architecture.Arm64 => "aarch64-linux-gnu",
            _ => null,
        };
        // The folders the host resolved our packages' native files to come first, as the loader takes them first: the
        // bundled libvips, Skia and HarfBuzz are there, and until they were looked for here every no-op loaded all
        // three (and started libvips) only to read their versions.
        var dirs = ((AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string) ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat((Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Concat(triplet is null ? [] : [$"/usr/local/lib/{triplet}", $"/usr/lib/{triplet}", $"/lib/{triplet}"])
            .Concat(["/usr/local/lib", "/usr/lib64", "/usr/lib", "/lib"])
            .ToList();
        var parts = new List<string>();
        // Every library whose version is in the stamp: a package update that changes one changes its file.
        foreach (var name in NativeLibraryNames.VersionedLinuxFiles)
        {
            var found = dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
            if (found is null)
            {
                return null;
            }
            var target = File.ResolveLinkTarget(found, returnFinalTarget: true)?.FullName ?? found;
            var info = new FileInfo(target);
            parts.Add($"{target}:{info.Length}:{info.LastWriteTimeUtc.Ticks}");
        }
        return BuildImages.Core.Primitives.ContentHash.OfParts(parts)[..16];
    }
}
