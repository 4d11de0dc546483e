using BuildImages.Core.Native;

namespace BuildImages.Core.Tests;

/// <summary>
/// glibc's malloc thresholds, set when the native stack loads (see <see cref="MallocTuning"/>): glibc accepts both
/// values here, and a user's own malloc tuning or the opt-out leaves malloc alone.
/// </summary>
public sealed class MallocTuningTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(s => s.Name == name).Value;

    /// <summary>glibc is what the tests run on (Debian); elsewhere (musl, macOS, Windows) nothing is set.</summary>
    private static bool Glibc => OperatingSystem.IsLinux() && System.Runtime.InteropServices.NativeLibrary.TryLoad("libc.so.6", out var libc)
        && System.Runtime.InteropServices.NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _);

    [Fact]
    public void GlibcTakesBothThresholds()
    {
        // mallopt refuses an mmap threshold above half of glibc's largest heap (32 MiB on 64-bit): a larger constant
        // here would fail, silently, in every build.
        Assert.Equal(Glibc, MallocTuning.Apply(Environment()));
    }

    [Fact]
    public void OnceTheThresholdsAreSetTheHeapCanBeTrimmed()
    {
        // What a large build calls twice a second (Build/NativeHeapTrimmer): glibc's malloc_trim, found beside mallopt.
        Assert.Equal(Glibc, MallocTuning.Apply(Environment()));
        Assert.Equal(Glibc, MallocTuning.Trim());
    }

    [Theory]
    [InlineData("BUILDIMAGES_MALLOC_DEFAULTS", "1")]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")]
    [InlineData("MALLOC_MMAP_THRESHOLD_", "131072")]
    [InlineData("MALLOC_TRIM_THRESHOLD_", "0")]
    public void AUsersOwnTuningOrTheOptOutLeavesMallocAlone(string name, string value)
    {
        Assert.False(MallocTuning.Apply(Environment((name, value))));
    }

    [Fact]
    public void TunablesForSomethingElseDoNotCount()
    {
        Assert.Equal(Glibc, MallocTuning.Apply(Environment(("GLIBC_TUNABLES", "glibc.pthread.rseq=0"))));
    }
}
