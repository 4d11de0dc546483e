using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// A chunked array shared with a snapshot: the snapshot keeps every entry as it was when shared, through sets in shared
/// chunks and in new ones, a clear, and a second share; the array itself reads what was last set.
/// </summary>
public sealed class ChunkedArrayTests
{
    [Fact]
    public void ASharedCopyKeepsWhatItSawWhileTheArrayGoesOnChanging()
    {
        var array = new ChunkedArray<long>();
        array.EnsureLength(10_000);
        for (var i = 0; i < 10_000; i++)
        {
            array.Set(i, i);
        }

        var first = array.Share();
        // Entries in two shared chunks and in a chunk made after the share.
        array.Set(5, -5);
        array.Set(9_000, -9_000);
        array.EnsureLength(20_000);
        array.Set(15_000, -15_000);
        Assert.Equal(5, first[5]);
        Assert.Equal(9_000, first[9_000]);
        Assert.Equal(12_288, first.Length);
        Assert.Equal(-5, array[5]);
        Assert.Equal(-9_000, array[9_000]);
        Assert.Equal(-15_000, array[15_000]);
        // A chunk copied once is the array's own: later sets in it are not seen by the snapshot either.
        array.Set(6, -6);
        Assert.Equal(6, first[6]);
        Assert.Equal(-6, array[6]);

        var second = array.Share();
        array.Clear();
        Assert.All(Enumerable.Range(0, 10_000), i => Assert.Equal(i, first[i]));
        Assert.Equal(-5, second[5]);
        Assert.Equal(-15_000, second[15_000]);
        Assert.Equal(0, array[5]);
        Assert.Equal(0, array[15_000]);
        Assert.Equal(7, second[7]);
    }
}
