using System.Collections;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>
/// The outputs of a build the up-to-date record confirmed, each as skipped in the shape <typeparamref name="T"/> a
/// reader wants (the report's outputs, the observer's outcomes), made as it is read: the record streams them, so a
/// no-op holds none of them at any count.
/// </summary>
internal sealed class SkippedOutputs<T>(IReadOnlyList<UpToDateOutput> outputs, Func<UpToDateOutput, T> skipped) : IReadOnlyList<T>
{
    public int Count => outputs.Count;

    public T this[int index] => skipped(outputs[index]);

    public IEnumerator<T> GetEnumerator() => outputs.Select(skipped).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
