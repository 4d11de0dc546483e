using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BuildImages.Core.Data;

/// <summary>
/// The line each item of a YAML data file starts on (what <see cref="JsonItemLines"/> is for JSON): the deserialised
/// values keep no positions, so the file's events are read once more, following the same dotted items path.
/// </summary>
internal static class YamlItemLines
{
    /// <summary>The 1-based line of each element of the sequence at <paramref name="itemsPath"/> (the root when null); null when there is none.</summary>
    internal static List<int>? Find(string text, string? itemsPath)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        if (!parser.TryConsume<DocumentStart>(out _))
        {
            return null;
        }
        List<int>? found = null;
        Walk(parser, string.IsNullOrEmpty(itemsPath) ? [] : itemsPath.Split('.'), 0, ref found);
        return found;
    }

    // The parser stands on the first event of a node reached by the first `matched` parts of the path.
    private static void Walk(IParser parser, string[] path, int matched, ref List<int>? found)
    {
        if (matched == path.Length)
        {
            if (!parser.TryConsume<SequenceStart>(out _))
            {
                parser.SkipThisAndNestedEvents();
                return;
            }
            // A key given twice leads to the last value, as in the dictionary the items are taken from.
            found = [];
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                found.Add((int)parser.Current!.Start.Line);
                parser.SkipThisAndNestedEvents();
            }
            return;
        }
        if (!parser.TryConsume<MappingStart>(out _))
        {
            parser.SkipThisAndNestedEvents();
            return;
        }
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var onPath = parser.TryConsume<Scalar>(out var key) && key.Value == path[matched];
            if (key is null)
            {
                // A key that is itself a collection: never a step of a dotted path.
                parser.SkipThisAndNestedEvents();
            }
            if (onPath)
            {
                Walk(parser, path, matched + 1, ref found);
            }
            else
            {
                parser.SkipThisAndNestedEvents();
            }
        }
    }
}
