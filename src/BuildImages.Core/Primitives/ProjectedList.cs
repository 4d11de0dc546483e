using System.Collections;

namespace BuildImages.Core.Primitives;

/// <summary>
/// A list whose items are made from a source list's as they are read, never held: the report's outputs and the
/// observer's outcomes in the shape each reader wants, over what the build keeps anyway (the outcomes it logged, or the
/// up-to-date record's outputs, which stream from their file). A million-output build would otherwise hold a second
/// copy of every outcome at its end, when its memory peaks.
/// </summary>
internal sealed class ProjectedList<TSource, T>(IReadOnlyList<TSource> source, Func<TSource, T> project) : IReadOnlyList<T>
{
    public int Count => source.Count;

    public T this[int index] => project(source[index]);

    public IEnumerator<T> GetEnumerator() => source.Select(project).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
