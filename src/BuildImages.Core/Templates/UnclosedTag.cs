namespace BuildImages.Core.Templates;

/// <summary>
/// Finds a tag opened and never closed (<c>{{ if title }</c>, <c>{% if x }</c>), the commonest template syntax error:
/// Scriban reads on into the following text and reports something else, somewhere else ("Expression is only allowed for
/// a top level assignment" lines later). The opening that runs into the next opening, or to the end, is the one to name.
/// </summary>
internal static class UnclosedTag
{
    /// <summary>The 1-based line and column of the first unclosed opening, with its two delimiters; null when every opening closes.</summary>
    internal static (int Line, int Column, string Open, string Close)? Find(string source, bool liquid)
    {
        var pairs = liquid ? new[] { ("{{", "}}"), ("{%", "%}") } : [("{{", "}}")];
        for (var i = 0; i < source.Length - 1; i++)
        {
            foreach (var (open, close) in pairs)
            {
                if (string.CompareOrdinal(source, i, open, 0, 2) != 0)
                {
                    continue;
                }
                var end = source.IndexOf(close, i + 2, StringComparison.Ordinal);
                var next = pairs.Select(p => source.IndexOf(p.Item1, i + 2, StringComparison.Ordinal)).Where(n => n >= 0).DefaultIfEmpty(-1).Min();
                if (end < 0 || (next >= 0 && next < end))
                {
                    var before = source.AsSpan(0, i);
                    var line = before.Count('\n') + 1;
                    return (line, i - (before.LastIndexOf('\n') + 1) + 1, open, close);
                }
                i = end + 1;
                break;
            }
        }
        return null;
    }
}
