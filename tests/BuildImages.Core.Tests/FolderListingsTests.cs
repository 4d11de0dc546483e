using BuildImages.Core.Data;

namespace BuildImages.Core.Tests;

/// <summary>
/// The folders a glob read prove its matches while they list the same entries: the listing must cover every folder the
/// glob read and no other, change with any entry added, removed or turned into a folder, and not with the order the file
/// system lists them in.
/// </summary>
public sealed class FolderListingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-listing-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, relative);
        return path;
    }

    private string Folder(string relative) => Path.Combine(_dir, relative);

    [Fact]
    public void AGlobListsEveryFolderItReadWithWhatEachListsNow()
    {
        Write("a.md");
        Write("sub/c.md");
        Write("sub/deep/d.md");
        Write("sub/deep/notes.txt");
        Write("other/e.md");
        var listings = new FolderListings();

        var files = DataLoader.SourceFiles("sub/**/*.md", _dir + Path.DirectorySeparatorChar, listings);

        Assert.Equal([Folder("sub/c.md"), Folder("sub/deep/d.md")], files);
        Assert.True(listings.Complete);
        // The base folder (where "sub" is looked for), and every folder under it; never "other", which the glob did not read.
        Assert.Equal([_dir, Folder("sub"), Folder("sub/deep")], listings.Folders.Keys.Order(StringComparer.Ordinal));
        foreach (var (folder, entries) in listings.Folders)
        {
            Assert.Equal(entries, FolderListings.Current(folder));
        }
        var sub = listings.Folders[Folder("sub")];

        // A file the glob does not match still changes what the folder lists; removing it gives the same listing back.
        var added = Write("sub/readme.txt");
        Assert.NotEqual(sub, FolderListings.Current(Folder("sub")));
        File.Delete(added);
        Assert.Equal(sub, FolderListings.Current(Folder("sub")));

        // A file made again after others were (another order on disk for some file systems) lists the same.
        File.Delete(Folder("sub/c.md"));
        Write("sub/zz.md");
        Write("sub/c.md");
        File.Delete(Folder("sub/zz.md"));
        Assert.Equal(sub, FolderListings.Current(Folder("sub")));

        // A folder turned into a file of the same name is another listing (the glob would not walk it).
        Directory.Delete(Folder("sub/deep"), recursive: true);
        Write("sub/deep");
        Assert.NotEqual(sub, FolderListings.Current(Folder("sub")));
    }

    [Fact]
    public void AMissingFolderListsAsAnEmptyOneAndAHiddenEntryCounts()
    {
        Directory.CreateDirectory(Folder("empty"));
        Assert.Equal(FolderListings.Current(Folder("empty")), FolderListings.Current(Folder("missing")));
        Assert.Equal(FolderListings.Current(Folder("empty")), FolderListings.Current(Write("a-file")));

        var hidden = Write("empty/.draft.md");
        File.SetAttributes(hidden, File.GetAttributes(hidden) | FileAttributes.Hidden);
        Assert.NotEqual(FolderListings.Current(Folder("missing")), FolderListings.Current(Folder("empty")));
    }

    [Fact]
    public void AReadLeftUnfinishedOrAFolderChangedBetweenTwoReadsProvesNothing()
    {
        Write("posts/a.md");
        Write("posts/b.md");

        var stopped = new FolderListings();
        using (var entries = stopped.Root(Folder("posts")).EnumerateFileSystemInfos().GetEnumerator())
        {
            Assert.True(entries.MoveNext());
        }
        Assert.False(stopped.Complete);
        Assert.Empty(stopped.Folders);

        var twice = new FolderListings();
        var folder = twice.Root(Folder("posts"));
        Assert.Equal(2, folder.EnumerateFileSystemInfos().Count());
        Assert.True(twice.Complete);
        Write("posts/c.md");
        Assert.Equal(3, folder.EnumerateFileSystemInfos().Count());
        Assert.False(twice.Complete);
    }

    [Fact]
    public void TheGlobReadThroughItsOwnFoldersMatchesWhatTheMatchersFileSystemGives()
    {
        foreach (var file in new[] { "a.md", "b.txt", ".hidden.md", "posts/one.md", "posts/two.MD", "posts/2024/three.md", "posts/2024/deep/four.md",
            "posts/drafts/.five.md", "notes/x.md", "notes/y.txt", "weird name [1].md", "posts/ünï.md", "data/a.json", "data/b.yaml" })
        {
            Write(file);
        }
        Directory.CreateDirectory(Folder("posts/empty"));
        Directory.CreateDirectory(Folder("posts/folder.md"));
        if (!OperatingSystem.IsWindows())
        {
            // A link to a folder is walked as a folder; a dangling link is a file to the enumeration.
            Directory.CreateSymbolicLink(Folder("linked"), Folder("notes"));
            File.CreateSymbolicLink(Folder("posts/gone.md"), Folder("nowhere.md"));
        }
        string[] patterns =
        [
            "*.md", "**/*.md", "posts/*.md", "posts/**/*.md", "posts/*/*.md", "**/*", "posts/**", "{posts,notes}/**/*.md",
            "*/*.{md,txt}", "linked/*", $"../{Path.GetFileName(_dir)}/notes/*.md", "data/*.{json,yaml}", "posts/2024/**/*.md", "nothing/*.md", "**/deep/*.md",
        ];
        foreach (var pattern in patterns)
        {
            var matcher = new Microsoft.Extensions.FileSystemGlobbing.Matcher(StringComparison.Ordinal);
            foreach (var expanded in DataLoader.Braces(pattern))
            {
                matcher.AddInclude(expanded);
            }
            var expected = Microsoft.Extensions.FileSystemGlobbing.MatcherExtensions.GetResultsInFullPath(matcher, _dir).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            var listings = new FolderListings();
            Assert.Equal(expected, DataLoader.SourceFiles(pattern, _dir, listings));
            Assert.True(listings.Complete, pattern);
        }
    }
}
