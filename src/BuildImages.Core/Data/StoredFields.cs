using System.Collections;
using System.Diagnostics.CodeAnalysis;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Data;

/// <summary>
/// An item's fields kept in a <see cref="FieldStore"/>: 40 bytes held instead of the values. Each read decodes them
/// anew, so a reader that looks up more than one field takes <see cref="Load"/> once and reads that.
/// </summary>
internal sealed class StoredFields : IReadOnlyDictionary<string, object?>
{
    private readonly FieldStore _store;
    private readonly ScratchBlocks.Place _place;

    internal StoredFields(FieldStore store, ScratchBlocks.Place place, int count)
    {
        _store = store;
        _place = place;
        Count = count;
    }

    public int Count { get; }

    /// <summary>The store that holds the fields.</summary>
    internal FieldStore Store => _store;

    /// <summary>Where in the store they are.</summary>
    internal ScratchBlocks.Place Place => _place;

    public IEnumerable<string> Keys => Load().Keys;

    public IEnumerable<object?> Values => Load().Values;

    public object? this[string key] => Load()[key];

    /// <summary>The fields, decoded from the store: a new dictionary on each call.</summary>
    internal Dictionary<string, object?> Load() => _store.Read(_place);

    public bool ContainsKey(string key) => Load().ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => Load().TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Load().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
