using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// How a copy of an equal output is put in place (<see cref="AtomicFile.LinkOrCopyUnflushed"/>): a new name gets the
/// source's bytes; a name that exists, as a file sharing another file's bytes or as a link planted to a file outside,
/// is replaced whole, never written through; and no temp file is left behind.
/// </summary>
public sealed class LinkOrCopyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-link-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ANewNameGetsTheSourcesBytes()
    {
        var source = Write("og/a.webp", "card bytes");
        var copy = Path.Combine(_dir, "og", "deep", "b.webp");
        AtomicFile.LinkOrCopyUnflushed(source, copy);
        Assert.Equal("card bytes", File.ReadAllText(copy));
        AssertNoTempFileLeft();
    }

    [Fact]
    public void AnExistingNameIsReplacedNotWrittenThrough()
    {
        var source = Write("og/a.webp", "new card");
        // b.webp shares its bytes with kept.webp (a copy made by an earlier build): replacing b must not change kept.
        var kept = Write("og/kept.webp", "old card");
        var copy = Path.Combine(_dir, "og", "b.webp");
        AtomicFile.LinkOrCopyUnflushed(kept, copy);
        AtomicFile.LinkOrCopyUnflushed(source, copy);
        Assert.Equal("new card", File.ReadAllText(copy));
        Assert.Equal("old card", File.ReadAllText(kept));
        AssertNoTempFileLeft();
    }

    [Fact]
    public void ALinkPlantedAtTheNameIsReplacedAndItsTargetUntouched()
    {
        var source = Write("og/a.webp", "card");
        var outside = Write("outside/victim.txt", "precious");
        var copy = Path.Combine(_dir, "og", "b.webp");
        File.CreateSymbolicLink(copy, outside);
        AtomicFile.LinkOrCopyUnflushed(source, copy);
        Assert.Equal("precious", File.ReadAllText(outside));
        Assert.Null(new FileInfo(copy).LinkTarget);
        Assert.Equal("card", File.ReadAllText(copy));
        AssertNoTempFileLeft();
    }

    private void AssertNoTempFileLeft() =>
        Assert.Empty(Directory.EnumerateFiles(_dir, "*" + AtomicFile.TempSuffix, SearchOption.AllDirectories));

    private string Write(string relative, string text)
    {
        var full = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }
}
