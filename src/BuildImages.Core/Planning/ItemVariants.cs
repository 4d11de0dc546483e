using System.Collections;

namespace BuildImages.Core.Planning;

/// <summary>
/// The variants of one planned item, made when they are read from its output stem and its job's variant shapes
/// (each shape's <see cref="PlannedVariant.Path"/> is the suffix and extension, as <c>-600.webp</c>).
/// </summary>
/// <remarks>
/// A plan keeps every item to the build's end. Held as variants, each output cost its own path, a variant and a slot
/// in an array: about 460 bytes an item of four variants, 460 MB at a million items. A planned item holds only its
/// job's shapes and makes this view when its variants are read (its stem is the item's own): a reader gets equal
/// variants each time (a variant is compared by value), new objects each time.
/// </remarks>
internal sealed class ItemVariants : IReadOnlyList<PlannedVariant>
{
    private readonly string _stem;
    private readonly PlannedVariant[] _shapes;

    /// <param name="stem">The item's output stem (its <see cref="PlannedItem.Output"/>).</param>
    /// <param name="shapes">The job's variants with the suffix and extension as their path; shared by its items, never changed.</param>
    internal ItemVariants(string stem, PlannedVariant[] shapes)
    {
        _stem = stem;
        _shapes = shapes;
    }

    /// <summary>The item's output stem.</summary>
    internal string Stem => _stem;

    /// <summary>The job's shapes (never changed).</summary>
    internal PlannedVariant[] Shapes => _shapes;

    public int Count => _shapes.Length;

    public PlannedVariant this[int index] => _shapes[index] with { Path = _stem + _shapes[index].Path };

    /// <summary>Where the variant written to <paramref name="path"/> is; -1 if none is. Makes no variant.</summary>
    internal int IndexOf(string path)
    {
        if (path.StartsWith(_stem, StringComparison.Ordinal))
        {
            var suffix = path.AsSpan(_stem.Length);
            for (var i = 0; i < _shapes.Length; i++)
            {
                if (suffix.SequenceEqual(_shapes[i].Path))
                {
                    return i;
                }
            }
        }
        return -1;
    }

    /// <summary>Adds the folders of the variants' paths to <paramref name="folders"/>, making no variant and, unless a suffix names a folder, no path.</summary>
    internal void AddFoldersTo(Primitives.OutputFolderSet folders)
    {
        foreach (var shape in _shapes)
        {
            // A suffix without '/' leaves the path in its stem's folder.
            folders.AddFolderOf(shape.Path.Contains('/') ? _stem + shape.Path : _stem);
        }
    }

    public IEnumerator<PlannedVariant> GetEnumerator()
    {
        for (var i = 0; i < _shapes.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
