namespace BuildImages.Core.Data;

/// <summary>
/// The field names the items of one data file share, in their order, with an index to find one by name: held once
/// per file and referenced by each item's <see cref="FieldRow"/>.
/// </summary>
internal sealed class FieldNames
{
    private readonly Dictionary<string, int> _index;

    /// <param name="names">Distinct names, in the items' order.</param>
    internal FieldNames(string[] names)
    {
        Names = names;
        _index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            _index.Add(names[i], i);
        }
    }

    internal string[] Names { get; }

    /// <summary>The position of <paramref name="name"/> (ordinal), or -1.</summary>
    internal int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;
}
