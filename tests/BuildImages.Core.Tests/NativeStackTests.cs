using BuildImages.Core.Native;

namespace BuildImages.Core.Tests;

public sealed class NativeStackTests
{
    [Fact]
    public void Missing_library_message_names_it_and_the_install_commands()
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
    public void Resolver_knows_every_platform_file_name_and_loads_the_stack_here()
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
        Assert.StartsWith("8.", NativeStack.Versions.Vips, StringComparison.Ordinal);
    }
}

public sealed class VipsOperationTests
{
    [Fact]
    public void Array_arguments_reach_libvips_as_VipsArrayDouble()
    {
        NativeStack.EnsureLoaded();
        using var image = VipsImage.FromPixels([10, 20, 30, 40, 50, 60], 2, 1, 3);
        using var op = VipsOperation.Create("bandjoin_const").Set("in", image).Set("c", new[] { 200.0 }).Build();
        using var joined = op.GetImage("out");
        Assert.Equal(4, joined.Bands);
        Assert.Equal(new byte[] { 10, 20, 30, 200, 40, 50, 60, 200 }, joined.ToPixels());
    }

    [Fact]
    public void A_failing_operation_throws_with_the_libvips_message()
    {
        NativeStack.EnsureLoaded();
        var ex = Assert.Throws<VipsException>(() => VipsOperation.Create("pngload_buffer").Set("buffer", new byte[] { 1, 2, 3 }).Build());
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        Assert.Throws<VipsException>(() => VipsOperation.Create("no_such_operation"));
    }
}
