using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace BuildImages.Core.Manifest;

/// <summary>
/// The "cards" object of a manifest as a build reads it: each record is handed on as soon as the serializer has read it
/// (and is garbage after), where a dictionary would hold every record as objects at once (about 6 KB a record: 600 MB
/// for 100,000 items). It only takes records; reading it back is not supported.
/// </summary>
internal sealed class ManifestRecordSink : IDictionary<string, ItemRecord?>
{
    private readonly Action<string, ItemRecord?> _read;

    /// <param name="read">Called with each record's key and record (null when the JSON says null), in file order.</param>
    internal ManifestRecordSink(Action<string, ItemRecord?> read)
    {
        _read = read;
    }

    /// <summary>What the serializer makes when nobody said where records go (see <see cref="StreamedManifest.TypeInfo"/>): refuses them.</summary>
    public ManifestRecordSink()
        : this(static (_, _) => throw new InvalidOperationException("a manifest was streamed with no destination for its records"))
    {
    }

    public ItemRecord? this[string key]
    {
        get => throw NotReadable();
        set => _read(key, value);
    }

    public ICollection<string> Keys => throw NotReadable();

    public ICollection<ItemRecord?> Values => throw NotReadable();

    public int Count => 0;

    public bool IsReadOnly => false;

    public void Add(string key, ItemRecord? value) => _read(key, value);

    public void Add(KeyValuePair<string, ItemRecord?> item) => _read(item.Key, item.Value);

    public void Clear()
    {
    }

    public bool Contains(KeyValuePair<string, ItemRecord?> item) => throw NotReadable();

    public bool ContainsKey(string key) => throw NotReadable();

    public void CopyTo(KeyValuePair<string, ItemRecord?>[] array, int arrayIndex) => throw NotReadable();

    public IEnumerator<KeyValuePair<string, ItemRecord?>> GetEnumerator() => throw NotReadable();

    public bool Remove(string key) => throw NotReadable();

    public bool Remove(KeyValuePair<string, ItemRecord?> item) => throw NotReadable();

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ItemRecord? value) => throw NotReadable();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static NotSupportedException NotReadable() => new("the records of a streamed manifest are handed on as they are read, not kept");
}
