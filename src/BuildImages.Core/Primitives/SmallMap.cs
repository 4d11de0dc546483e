using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace BuildImages.Core.Primitives;

/// <summary>
/// A read-only map of a few entries in one array, looked up by a linear search: a card's outputs to render and why
/// (one to eight, kept for every item to render until the build's end). A dictionary of four costs about 270 bytes,
/// this about 90.
/// </summary>
internal sealed class SmallMap<TKey, TValue>(KeyValuePair<TKey, TValue>[] entries) : IReadOnlyDictionary<TKey, TValue>
    where TKey : notnull
{
    public int Count => entries.Length;

    public TValue this[TKey key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException();

    public IEnumerable<TKey> Keys => entries.Select(e => e.Key);

    public IEnumerable<TValue> Values => entries.Select(e => e.Value);

    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        foreach (var entry in entries)
        {
            if (EqualityComparer<TKey>.Default.Equals(entry.Key, key))
            {
                value = entry.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<TKey, TValue>>)entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
