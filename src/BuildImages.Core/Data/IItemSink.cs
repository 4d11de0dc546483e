namespace BuildImages.Core.Data;

/// <summary>
/// What takes a data reference's items as its files are read, a block at a time: a batch build plans each block as it
/// comes. A file that turns out malformed after some of its blocks were taken is dropped whole, as if never read.
/// </summary>
internal interface IItemSink
{
    /// <summary>A file's items begin: what <see cref="DropFile"/> drops is what is taken from here on.</summary>
    void StartFile();

    /// <summary>The file's next items, in its order.</summary>
    void Take(IReadOnlyList<DataItem> items);

    /// <summary>The file failed: the items taken since <see cref="StartFile"/> are not its items.</summary>
    void DropFile();
}
