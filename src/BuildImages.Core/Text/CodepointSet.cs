namespace BuildImages.Core.Text;

/// <summary>
/// The code points a font maps to a glyph, as sorted, disjoint, non-adjacent ranges: a CJK font's 40,000 code points
/// are a few thousand ranges, and a look-up is a binary search over them.
/// </summary>
internal sealed class CodepointSet
{
    private readonly int[] _starts;
    private readonly int[] _ends;

    private CodepointSet(int[] starts, int[] ends)
    {
        _starts = starts;
        _ends = ends;
    }

    internal static CodepointSet Empty { get; } = new([], []);

    /// <summary>How many code points the set holds.</summary>
    internal int Count
    {
        get
        {
            var count = 0;
            for (var i = 0; i < _starts.Length; i++)
            {
                count += _ends[i] - _starts[i] + 1;
            }
            return count;
        }
    }

    /// <summary>The ranges, first to last (inclusive ends).</summary>
    internal IEnumerable<(int First, int Last)> Ranges
    {
        get
        {
            for (var i = 0; i < _starts.Length; i++)
            {
                yield return (_starts[i], _ends[i]);
            }
        }
    }

    internal bool Contains(int codepoint)
    {
        var i = Array.BinarySearch(_starts, codepoint);
        if (i >= 0)
        {
            return true;
        }
        i = ~i - 1;
        return i >= 0 && codepoint <= _ends[i];
    }

    /// <summary>Collects ranges in any order, overlapping or not, into a set.</summary>
    internal sealed class Builder
    {
        private readonly List<(int First, int Last)> _ranges = [];

        internal void Add(int first, int last)
        {
            first = Math.Max(first, 0);
            last = Math.Min(last, 0x10FFFF);
            if (first <= last)
            {
                _ranges.Add((first, last));
            }
        }

        internal CodepointSet Build()
        {
            if (_ranges.Count == 0)
            {
                return Empty;
            }
            _ranges.Sort();
            var starts = new List<int>();
            var ends = new List<int>();
            foreach (var (first, last) in _ranges)
            {
                if (ends.Count > 0 && first <= ends[^1] + 1)
                {
                    ends[^1] = Math.Max(ends[^1], last);
                }
                else
                {
                    starts.Add(first);
                    ends.Add(last);
                }
            }
            return new CodepointSet([.. starts], [.. ends]);
        }
    }
}
