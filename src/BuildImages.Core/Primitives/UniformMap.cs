using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace BuildImages.Core.Primitives;

/// <summary>
/// A read-only map of distinct keys that all map to one value, over a list the caller holds anyway: a card every
/// output of which renders for the same reason (a new item, a changed template or data: every item of a cold build).
/// One small object per card instead of a <see cref="SmallMap{TKey, TValue}"/>'s array of pairs.
/// </summary>
internal sealed class UniformMap<TKey, TValue>(IReadOnlyList<TKey> keys, TValue value) : IReadOnlyDictionary<TKey, TValue>
    where TKey : notnull
{
    public int Count => keys.Count;

    public TValue this[TKey key] => TryGetValue(key, out var found) ? found : throw new KeyNotFoundException();

    public IEnumerable<TKey> Keys => keys;

    public IEnumerable<TValue> Values => keys.Select(_ => value);

    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue found)
    {
        foreach (var k in keys)
        {
            if (EqualityComparer<TKey>.Default.Equals(k, key))
            {
                found = value;
                return true;
            }
        }
        found = default;
        return false;
    }

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => keys.Select(k => new KeyValuePair<TKey, TValue>(k, value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
