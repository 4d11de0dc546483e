using BuildImages.Core.Encoders;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Tests;

/// <summary>A planned item's variants made from its stem and its job's shapes: what they were when each was held.</summary>
public sealed class ItemVariantsTests
{
    private static readonly PlannedVariant[] Shapes =
    [
        new(".webp", 1200, 630, new EncodeOptions(ImageFormat.WebP, 80), null, 40),
        new("-600.jpg", 600, 315, new EncodeOptions(ImageFormat.Jpeg, 82), 300_000, 50),
    ];

    [Fact]
    public void EachVariantIsTheShapeWithTheStemBeforeItsPath()
    {
        var variants = new ItemVariants("og/2024/é-launch", Shapes);

        Assert.Equal(2, variants.Count);
        // What the planner held before: each shape copied with the stem before its suffix.
        PlannedVariant[] held = [.. Shapes.Select(s => s with { Path = "og/2024/é-launch" + s.Path })];
        Assert.Equal(held, variants);
        Assert.Equal(held[1], variants[1]);
        Assert.Equal("og/2024/é-launch-600.jpg", variants[1].Path);
        Assert.Equal((600, 315, ImageFormat.Jpeg, 300_000L, 50), (variants[1].Width, variants[1].Height, variants[1].Encode.Format, variants[1].MaxBytes!.Value, variants[1].MinQuality));
        Assert.Equal(held[1].Signature, variants[1].Signature);
        Assert.Throws<IndexOutOfRangeException>(() => variants[2]);
    }

    [Fact]
    public void ReadsAreEqualNewVariantsAndTheShapesStayAsTheyWere()
    {
        var variants = new ItemVariants("og/a", Shapes);

        var first = variants[0];
        var second = variants[0];
        Assert.Equal(first, second);
        Assert.NotSame(first, second);
        // A variant is a key of the check's table of outputs to render: equal reads find the same entry.
        var needed = new Dictionary<PlannedVariant, int> { [first] = 7 };
        Assert.Equal(7, needed[second]);
        Assert.Equal([".webp", "-600.jpg"], Shapes.Select(s => s.Path));
    }

    [Fact]
    public void TheFoldersAreThoseOfTheVariantsPaths()
    {
        PlannedVariant[] shapes = [.. Shapes, Shapes[0] with { Path = "/small.webp" }];
        var variants = new ItemVariants("og/2024/launch", shapes);
        var folders = new Primitives.OutputFolderSet();

        variants.AddFoldersTo(folders);
        new ItemVariants("top", Shapes).AddFoldersTo(folders);

        var expected = variants.Concat(new ItemVariants("top", Shapes)).Select(v => v.Path).Select(p => p.LastIndexOf('/') is var i and >= 0 ? p[..i] : "").Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expected, folders.Folders.Order(StringComparer.Ordinal));
        Assert.Equal(["", "og/2024", "og/2024/launch"], folders.Folders.Order(StringComparer.Ordinal));
    }
}
