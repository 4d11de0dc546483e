namespace BuildImages.Core.Templates;

/// <summary>
/// Which template span wrote each range of the markup, recorded while rendering: literal template text by its
/// own position (so an error inside it is located to the character), an expression's value by the position
/// of the expression. A markup error is then located at the exact template line that produced it, in the main
/// file or an include, with no token search.
/// </summary>
public sealed class MarkupSourceMap
{
    private readonly List<int> _starts = [];
    private readonly List<Origin> _origins = [];

    /// <summary>Records that markup from <paramref name="offset"/> on came from a template position (1-based); <paramref name="literal"/> is the template text written there, if it was literal.</summary>
    internal void Add(int offset, string file, int line, int column, string? literal)
    {
        var origin = new Origin(file, line, column, literal);
        if (_starts.Count > 0 && _starts[^1] == offset)
        {
            _origins[^1] = origin;
            return;
        }
        _starts.Add(offset);
        _origins.Add(origin);
    }

    /// <summary>The template position that wrote the markup character at <paramref name="offset"/>.</summary>
    internal (string File, int Line, int Column)? Find(int offset)
    {
        var i = _starts.BinarySearch(offset);
        i = i >= 0 ? i : ~i - 1;
        if (i < 0)
        {
            return null;
        }
        var (file, line, column, literal) = _origins[i];
        if (literal is not null)
        {
            // Walk the literal text to the character: a literal block spans lines.
            for (var k = 0; k < Math.Min(offset - _starts[i], literal.Length); k++)
            {
                (line, column) = literal[k] == '\n' ? (line + 1, 1) : (line, column + 1);
            }
        }
        return (file, line, column);
    }

    private readonly record struct Origin(string File, int Line, int Column, string? Literal);
}
