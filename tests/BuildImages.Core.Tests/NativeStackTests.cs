using BuildImages.Core.Native;

namespace BuildImages.Core.Tests;

public sealed class NativeStackTests
{
    [Fact]
    public void MissingLibraryMessageNamesItAndTheInstallCommands()
    {
        var ex = new NativeDependencyException(["vips (libvips.so.42 / libvips.42.dylib / libvips-42.dll)"]);
        Assert.Contains("libvips.so.42", ex.Message);
        Assert.Contains("apt-get install libvips42", ex.Message);
        Assert.Contains("brew install vips", ex.Message);
        Assert.Contains("dnf install vips", ex.Message);
        Assert.Contains("apk add vips", ex.Message);
        Assert.Contains("Windows", ex.Message);
    }

    [Fact]
    public void ResolverKnowsEveryPlatformFileNameAndLoadsTheStackHere()
    {
        foreach (var logical in NativeLibraryNames.All)
        {
            var names = NativeLibraryNames.Candidates(logical);
            Assert.Contains(names, n => n.EndsWith(".so.0", StringComparison.Ordinal) || n.Contains(".so.", StringComparison.Ordinal));
            Assert.Contains(names, n => n.EndsWith(".dylib", StringComparison.Ordinal));
            Assert.Contains(names, n => n.EndsWith(".dll", StringComparison.Ordinal));
            Assert.NotEqual(IntPtr.Zero, NativeLibraryNames.Resolve(logical, typeof(NativeStack).Assembly, null));
        }
        Assert.Equal(IntPtr.Zero, NativeLibraryNames.Resolve("no-such-library", typeof(NativeStack).Assembly, null));
        // The C library (statx, link, flock's helpers): glibc, musl on Alpine (x64 and arm64, which have no libc.so.6),
        // macOS's libSystem; the one of this machine loads.
        Assert.Equal(["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.dylib"], NativeLibraryNames.Candidates(NativeLibraryNames.Libc));
        Assert.NotEqual(IntPtr.Zero, NativeLibraryNames.Resolve(NativeLibraryNames.Libc, typeof(NativeStack).Assembly, null));
        Assert.StartsWith("8.", NativeStack.Versions.Vips, StringComparison.Ordinal);
        // The drawing and shaping libraries come in our packages; their versions are in every key too.
        Assert.Matches(@"^\d+\.\d+", NativeStack.Versions.Skia);
        Assert.Matches(@"^\d+\.\d+", NativeStack.Versions.HarfBuzz);
        Assert.Contains($"skia {NativeStack.Versions.Skia}", NativeStack.Versions.ToString(), StringComparison.Ordinal);
    }
}
