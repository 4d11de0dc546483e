using System.Collections.Concurrent;

namespace BuildImages.Core.Primitives;

/// <summary>
/// One instance for short strings that repeat across every item of a build: field names and template keys. Without
/// it a million items hold a million copies of "title" (a heap dump of the 100,000-item bench build held 100,000 of
/// each field name and of the template's key). Bounded, so names from hostile input (a hook payload's keys) cannot grow it without limit: past its capacity,
/// and for long strings, a string is returned as it came. <see cref="Get"/> is the process's pool: the strings it keeps
/// are few and small.
/// </summary>
internal sealed class SharedStrings(int capacity)
{
    /// <summary>At most this many distinct strings are kept by the process's pool.</summary>
    internal const int DefaultCapacity = 65_536;

    /// <summary>Longer strings are returned as they are (they rarely repeat, and would make the pool large).</summary>
    internal const int LongestShared = 128;

    private static readonly SharedStrings Process = new(DefaultCapacity);

    private readonly ConcurrentDictionary<string, string> _pool = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>The process pool's instance equal to <paramref name="value"/>, or <paramref name="value"/> itself.</summary>
    internal static string Get(string value) => Process.Share(value);

    /// <summary>This pool's instance equal to <paramref name="value"/>, or <paramref name="value"/> itself.</summary>
    internal string Share(string value)
    {
        if (value.Length > LongestShared)
        {
            return value;
        }
        if (_pool.TryGetValue(value, out var shared))
        {
            return shared;
        }
        // A counter of our own: ConcurrentDictionary.Count takes every lock.
        if (Volatile.Read(ref _count) >= capacity)
        {
            return value;
        }
        if (_pool.TryAdd(value, value))
        {
            Interlocked.Increment(ref _count);
            return value;
        }
        return _pool.TryGetValue(value, out shared) ? shared : value;
    }
}
