using BuildImages.Core.Encoders;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Checks the paths a manifest or stat cache names before a build acts on them. Those files may come from a CI
/// cache or a hand edit; a record that names '../x', an absolute path, or anything but an image BuildImages could
/// have written would otherwise be deleted by prune or replaced by a write. Such a record is dropped, never acted on.
/// </summary>
internal static class RecordPaths
{
    // A photo copied unchanged (onError: copy-original) keeps its source's extension.
    private static readonly HashSet<string> ImageExtensions = new(
        Enum.GetValues<ImageFormat>().Select(f => new EncodeOptions(f).Extension).Concat(PhotoPlanner.Extensions), StringComparer.OrdinalIgnoreCase);

    /// <summary>Why the record cannot be trusted with the output folder, or null when every path it names is one the planner could have made.</summary>
    internal static string? Problem(ItemRecord record)
    {
        if (record.Variants is null)
        {
            return "it lists no variants";
        }
        foreach (var v in record.Variants)
        {
            if ((v is null ? "it has an empty variant" : Problem(v.Path) ?? Problem(v.File)) is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    // The image extensions as lower-case ASCII bytes packed in a number (each is at most 8 bytes), for the check of raw paths.
    private static readonly ulong[] PackedExtensions = [.. ImageExtensions.Where(e => e.Length <= 8 && e.All(char.IsAscii)).Select(e => Pack(System.Text.Encoding.ASCII.GetBytes(e.ToLowerInvariant())))];

    /// <summary>
    /// Whether UTF-8 bytes certainly name a path <see cref="Problem(string?)"/> accepts, decided without making a
    /// string: segments of ASCII letters, digits, '-', '_' and '.', none empty, '.', '..' or ending in '.', none
    /// longer than 200 bytes, no device name (CON, COM1…) as a stem, an image extension. False means "not certain",
    /// never "unsafe": anything outside that alphabet goes to the full check. This is what lets the no-op check four
    /// million recorded paths in the time of their system calls.
    /// </summary>
    internal static bool IsPlain(ReadOnlySpan<byte> path)
    {
        // The alphabet in one vectorised pass; then only the segments' ends and stems are looked at.
        if (path.IsEmpty || path.ContainsAnyExcept(PlainBytes))
        {
            return false;
        }
        while (true)
        {
            var slash = path.IndexOf((byte)'/');
            var segment = slash < 0 ? path : path[..slash];
            if (segment.IsEmpty || segment.Length > 200 || segment[^1] == '.')
            {
                return false;
            }
            var firstDot = segment.IndexOf((byte)'.');
            if (IsDeviceName(firstDot < 0 ? segment : segment[..firstDot]))
            {
                return false;
            }
            if (slash < 0)
            {
                return firstDot >= 0 && IsImageExtension(segment[segment.LastIndexOf((byte)'.')..]);
            }
            path = path[(slash + 1)..];
        }
    }

    private static readonly System.Buffers.SearchValues<byte> PlainBytes =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./"u8);

    /// <summary>CON, PRN, AUX, NUL, COM0–COM9 or LPT0–LPT9 in any case (the ASCII ones of OutputPathRules' reserved names; the others hold '$' or a superscript, not plain).</summary>
    private static bool IsDeviceName(ReadOnlySpan<byte> stem)
    {
        if (stem.Length is not (3 or 4))
        {
            return false;
        }
        // The first three bytes upper-cased as one number (no stack buffer: this runs for every segment of every output).
        var upper = (Upper(stem[0]) << 16) | (Upper(stem[1]) << 8) | Upper(stem[2]);
        return stem.Length == 3
            ? upper is Con or Prn or Aux or Nul
            : upper is Com or Lpt && stem[3] is >= (byte)'0' and <= (byte)'9';
    }

    private const int Con = ('C' << 16) | ('O' << 8) | 'N';
    private const int Prn = ('P' << 16) | ('R' << 8) | 'N';
    private const int Aux = ('A' << 16) | ('U' << 8) | 'X';
    private const int Nul = ('N' << 16) | ('U' << 8) | 'L';
    private const int Com = ('C' << 16) | ('O' << 8) | 'M';
    private const int Lpt = ('L' << 16) | ('P' << 8) | 'T';

    private static int Upper(byte b) => b is >= (byte)'a' and <= (byte)'z' ? b & ~0x20 : b;

    private static bool IsImageExtension(ReadOnlySpan<byte> extension) =>
        extension.Length <= 8 && Array.IndexOf(PackedExtensions, Pack(extension)) >= 0;

    /// <summary>Up to 8 bytes, ASCII letters lower-cased, as one number (the length is in it through the first byte, '.').</summary>
    private static ulong Pack(ReadOnlySpan<byte> bytes)
    {
        ulong packed = 0;
        foreach (var b in bytes)
        {
            packed = (packed << 8) | (b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b);
        }
        return packed;
    }

    /// <summary>Why an output path read from a file is unsafe: not in the planner's canonical form, or not an image file name.</summary>
    internal static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "it names an empty path";
        }
        // Most paths are plain ASCII, which IsPlain accepts without the full check (a manifest and a stat cache hold
        // every output's path, and loading them checks each).
        if (path.Length <= 512 && System.Text.Ascii.IsValid(path))
        {
            Span<byte> bytes = stackalloc byte[path.Length];
            System.Text.Encoding.ASCII.GetBytes(path, bytes);
            if (IsPlain(bytes))
            {
                return null;
            }
        }
        return FullProblem(path);
    }

    /// <summary><see cref="Problem(string?)"/> without its shortcut for plain paths (what the shortcut is held to).</summary>
    internal static string? FullProblem(string path)
    {
        var (canonical, problem) = OutputPathRules.Check(path);
        if (problem is not null)
        {
            return problem;
        }
        if (!string.Equals(canonical, path, StringComparison.Ordinal))
        {
            return $"'{path}' is not a path BuildImages writes (expected '{canonical}')";
        }
        return ImageExtensions.Contains(Path.GetExtension(path)) ? null : $"'{path}' is not an image file BuildImages writes";
    }
}
