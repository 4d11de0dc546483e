using BuildImages.Core.Build;

namespace BuildImages.Core.Tests;

/// <summary>The pruner's set of files stale outputs name: a file goes only when it was added and nothing struck it off.</summary>
public sealed class StaleFilesTests
{
    [Fact]
    public void AFileGoesWhenAddedAndNotStruckOffWhateverTheCaseOfTheNameThatStrikesIt()
    {
        var files = new StaleFiles();
        Assert.True(files.IsEmpty);
        foreach (var i in Enumerable.Range(0, 10_000))
        {
            files.Add($"og/post-{i:D5}.webp");
        }
        // Added twice (two stale records naming one file): one entry.
        files.Add("og/post-00001.webp");
        files.Seal();

        // Another output names these, in another case: on a folder that ignores case they are the same file.
        files.Strike("OG/POST-00002.WEBP");
        files.Strike("og/post-09999.webp");
        // Not a stale file: striking it changes nothing.
        files.Strike("og/other.webp");

        Assert.False(files.IsEmpty);
        Assert.True(files.Goes("og/post-00000.webp"));
        Assert.True(files.Goes("og/post-00001.webp"));
        Assert.True(files.Goes("OG/post-00003.webp"));
        Assert.False(files.Goes("og/post-00002.webp"));
        Assert.False(files.Goes("og/post-09999.webp"));
        Assert.False(files.Goes("og/other.webp"));
        Assert.Equal(9_998, Enumerable.Range(0, 10_000).Count(i => files.Goes($"og/post-{i:D5}.webp")));
    }
}
