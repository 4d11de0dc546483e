using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

/// <summary>
/// glibc's malloc, set once for a process that draws and encodes images. libvips, libwebp and libjpeg allocate and
/// free buffers of one to a few megabytes for every variant (a frame's copy, YUV planes, output buffers). glibc serves
/// anything above its mmap threshold (128 KiB until a large block is freed, after which it adapts, up to 32 MiB) with a
/// fresh mmap, so each such buffer is faulted in and zeroed by the kernel again. Whether the threshold had adapted
/// depended on what the process happened to free first: the peer bench's 200 cards took 50 ms a card instead of 35 when
/// no early free had raised it (measured with <c>--batch peer</c>; page faults and memset went from 6% to 15% of the
/// profile). Setting the thresholds to where glibc's own adaptation ends makes that speed the rule.
/// </summary>
internal static unsafe class MallocTuning
{
    /// <summary>glibc's <c>M_TRIM_THRESHOLD</c> and <c>M_MMAP_THRESHOLD</c> (malloc.h).</summary>
    private const int TrimThresholdParameter = -1, MmapThresholdParameter = -3;

    /// <summary>The largest threshold glibc adapts to on 64-bit systems (DEFAULT_MMAP_THRESHOLD_MAX).</summary>
    internal const int MmapThreshold = 32 * 1024 * 1024;

    /// <summary>
    /// Free memory above this at the top of an arena goes back to the system. glibc's adaptation sets twice the mmap
    /// threshold (64 MiB), and every arena (up to eight a core, one per thread that allocated while another did) kept that
    /// much: 4 MiB still keeps a variant's buffers for the next, and took 21 MiB off the 100,000-item bench's peak with
    /// no change in its encode time (see platforms.md).
    /// </summary>
    internal const int TrimThreshold = 4 * 1024 * 1024;

    /// <summary>Set to 1 to leave malloc as the process found it.</summary>
    internal const string OptOutVariable = "BUILDIMAGES_MALLOC_DEFAULTS";

    /// <summary>
    /// Sets both thresholds on Linux with glibc; true when set. Left alone: other systems and C libraries (musl has no
    /// such thresholds), an opt-out, and a process whose user tuned malloc through the environment already.
    /// </summary>
    internal static bool Apply() => Apply(Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="Apply()"/>, reading the environment through <paramref name="environment"/>.</summary>
    internal static bool Apply(Func<string, string?> environment)
    {
        if (!OperatingSystem.IsLinux() || environment(OptOutVariable) == "1" || TunedByUser(environment))
        {
            return false;
        }
        // The C library the rest of our libc calls bind to; only glibc has gnu_get_libc_version (musl has no such thresholds).
        var libc = NativeLibraryNames.Resolve(NativeLibraryNames.Libc, typeof(MallocTuning).Assembly, null);
        if (libc == IntPtr.Zero || !NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _)
            || !NativeLibrary.TryGetExport(libc, "mallopt", out var address))
        {
            return false;
        }
        var mallopt = (delegate* unmanaged<int, int, int>)address;
        var set = mallopt(MmapThresholdParameter, MmapThreshold) == 1 & mallopt(TrimThresholdParameter, TrimThreshold) == 1;
        if (set && NativeLibrary.TryGetExport(libc, "malloc_trim", out var trim))
        {
            _mallocTrim = trim;
        }
        return set;
    }

    // glibc's malloc_trim, once the thresholds are set (only then is this glibc, and tuned by us).
    private static IntPtr _mallocTrim;

    /// <summary>
    /// Gives the free memory inside every arena back to the system (glibc's <c>malloc_trim(0)</c>, which also releases
    /// free pages in the middle of an arena, not only at its top as the trim threshold does); false where nothing was
    /// tuned (see <see cref="Apply()"/>). A long build calls it now and then (<see cref="Build.NativeHeapTrimmer"/>).
    /// </summary>
    internal static bool Trim()
    {
        var trim = Volatile.Read(ref _mallocTrim);
        if (trim == IntPtr.Zero)
        {
            return false;
        }
        ((delegate* unmanaged<nuint, int>)trim)(0);
        return true;
    }

    /// <summary>Whether the environment already tunes glibc's malloc (GLIBC_TUNABLES, or the older MALLOC_*_ variables).</summary>
    private static bool TunedByUser(Func<string, string?> environment) =>
        environment("GLIBC_TUNABLES")?.Contains("glibc.malloc.", StringComparison.Ordinal) == true
        || environment("MALLOC_MMAP_THRESHOLD_") is not null
        || environment("MALLOC_TRIM_THRESHOLD_") is not null;
}
