using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BuildImages.Core.Data;

/// <summary>
/// The line each item of a YAML data file starts on (what <see cref="JsonItemLines"/> is for JSON). The deserialised
/// values keep no positions, so this stands between the parser and the deserializer and notes, as the events pass, where
/// each element of the sequence at the dotted items path starts: the file is parsed once.
/// </summary>
internal sealed class YamlItemLines(IParser parser, string? itemsPath) : IParser
{
    private readonly string[] _path = string.IsNullOrEmpty(itemsPath) ? [] : itemsPath.Split('.');
    private readonly Stack<Frame> _open = new();

    /// <summary>The 1-based line of each element of the sequence at the items path (the root when none); null when there is none.</summary>
    internal List<int>? Lines { get; private set; }

    public ParsingEvent? Current => parser.Current;

    public bool MoveNext()
    {
        if (!parser.MoveNext())
        {
            return false;
        }
        Observe(parser.Current!);
        return true;
    }

    private void Observe(ParsingEvent e)
    {
        if (e is MappingEnd or SequenceEnd)
        {
            _open.Pop();
            return;
        }
        if (e is not (Scalar or AnchorAlias or MappingStart or SequenceStart))
        {
            return;
        }
        // How many parts of the path lead to this node (-1: it is off the path).
        var matched = -1;
        if (_open.Count == 0)
        {
            matched = 0;
        }
        else if (_open.Peek() is { IsMapping: true } map)
        {
            if (map.ExpectsKey)
            {
                map.ExpectsKey = false;
                map.ValueOnPath = map.Matched >= 0 && map.Matched < _path.Length && e is Scalar key && key.Value == _path[map.Matched];
            }
            else
            {
                map.ExpectsKey = true;
                matched = map.ValueOnPath ? map.Matched + 1 : -1;
            }
        }
        else if (_open.Peek().IsItems)
        {
            Lines!.Add((int)e.Start.Line);
        }
        if (e is MappingStart or SequenceStart)
        {
            var items = e is SequenceStart && matched == _path.Length;
            if (items)
            {
                // A key given twice leads to the last value, as in the dictionary the items are taken from.
                Lines = [];
            }
            _open.Push(new Frame { IsMapping = e is MappingStart, Matched = matched, IsItems = items });
        }
    }

    private sealed class Frame
    {
        internal bool IsMapping { get; init; }

        internal int Matched { get; init; }

        internal bool IsItems { get; init; }

        internal bool ExpectsKey { get; set; } = true;

        internal bool ValueOnPath { get; set; }
    }
}
