namespace BuildImages.Core.Build;

/// <summary>
/// The items one kind of error failed, as the build's end tells them: the first is told with the error, the rest are
/// counted, and the first few of them by name (in ordinal order) are kept to be named. Not every name: an error every
/// item of a million-item build makes would keep a million. Thread-safe.
/// </summary>
internal sealed class RepeatedError
{
    /// <summary>How many of the other items are named when the build ends.</summary>
    internal const int Named = 5;

    private readonly Lock _lock = new();
    private readonly List<string> _first = new(Named + 1);
    private bool _told;
    private int _more;

    /// <summary>How many items it failed besides the one it was told for.</summary>
    internal int More
    {
        get
        {
            lock (_lock)
            {
                return _more;
            }
        }
    }

    /// <summary>Adds an item it failed: true for the first (whose error is then told), false for one more.</summary>
    internal bool Add(string item)
    {
        lock (_lock)
        {
            if (!_told)
            {
                _told = true;
                return true;
            }
            _more++;
            // The smallest names seen so far, in order: insert, and drop the largest past the count named.
            var at = _first.BinarySearch(item, StringComparer.Ordinal);
            if (at < 0 && ~at < Named)
            {
                _first.Insert(~at, item);
                if (_first.Count > Named)
                {
                    _first.RemoveAt(Named);
                }
            }
            return false;
        }
    }

    /// <summary>How many more items it failed, and the first of them in ordinal order (up to <see cref="Named"/>).</summary>
    internal (int More, IReadOnlyList<string> First) MoreAndFirst()
    {
        lock (_lock)
        {
            return (_more, [.. _first]);
        }
    }
}
