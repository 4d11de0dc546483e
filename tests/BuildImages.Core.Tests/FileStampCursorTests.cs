using System.Text;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Tests;

/// <summary>
/// The no-op check's relative stat (a thread's cursor holding the last subfolder open) gives what a stat of the whole
/// path gives, whatever the order of folders, for missing files and folders, a file where a folder should be, and
/// links on the way.
/// </summary>
public sealed class FileStampCursorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bi-stamp-").FullName;

    [Fact]
    public void ARelativeStampEqualsTheWholePathsStampInAnyOrderOfFolders()
    {
        string[] files = ["top.png", "og/a.webp", "og/b.webp", "other/c.webp", "deep/er/e.jpg", "deep/f.png"];
        foreach (var (file, i) in files.Select((f, i) => (f, i)))
        {
            var path = Path.Combine(_root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, new byte[100 + i]);
        }
        Directory.CreateDirectory(Path.Combine(_root, "linked-target"));
        File.WriteAllBytes(Path.Combine(_root, "linked-target", "l.png"), new byte[7]);
        File.CreateSymbolicLink(Path.Combine(_root, "link"), Path.Combine(_root, "linked-target"));
        string[] absent = ["og/missing.webp", "nowhere/x.png", "top.png/x.png", "og", "link/missing.png"];
        string[] asked = [.. files, .. absent, "link/l.png"];

        using var folder = new FileStampFolder(_root);
        var cursor = folder.ForThisThread();
        var random = new Random(11);
        var seenNull = 0;
        for (var n = 0; n < 3_000; n++)
        {
            var file = asked[random.Next(asked.Length)];
            var relative = FileStamp.Read(cursor, Encoding.UTF8.GetBytes(file));
            var whole = FileStamp.Read(Path.Combine(_root, file));
            Assert.Equal(whole, relative);
            seenNull += relative is null ? 1 : 0;
        }
        Assert.InRange(seenNull, 500, 2_000);
        Assert.Equal(new FileStamp(7, File.GetLastWriteTimeUtc(Path.Combine(_root, "linked-target", "l.png")).Ticks), FileStamp.Read(cursor, "link/l.png"u8));
    }

    [Fact]
    public void AFileChangedOrRemovedBetweenCallsIsSeenThroughAHeldFolder()
    {
        Directory.CreateDirectory(Path.Combine(_root, "og"));
        var path = Path.Combine(_root, "og", "a.webp");
        File.WriteAllBytes(path, new byte[10]);
        using var folder = new FileStampFolder(_root);
        var cursor = folder.ForThisThread();
        Assert.Equal(10, FileStamp.Read(cursor, "og/a.webp"u8)!.Value.Size);

        File.WriteAllBytes(path, new byte[12]);
        Assert.Equal(12, FileStamp.Read(cursor, "og/a.webp"u8)!.Value.Size);
        File.Delete(path);
        Assert.Null(FileStamp.Read(cursor, "og/a.webp"u8));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
