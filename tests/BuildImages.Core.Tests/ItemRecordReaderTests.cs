using System.Text;
using System.Text.Json;
using BuildImages.Core.Manifest;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// A build keeps its records serialised with their check and reads them back with <see cref="ItemRecordReader"/>: the
/// sealed bytes are the serializer's own for the sealed record, the reader gives what the serializer would, and any
/// other form of JSON is left to the serializer.
/// </summary>
public sealed class ItemRecordReaderTests
{
    public static TheoryData<string> Shapes => ["plain", "alt", "escaped", "no-quality", "empty-fields", "many-variants", "old-check"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SealedBytesAreTheSerializersOwnAndReadBackAsTheSerializerReadsThem(string shape)
    {
        var record = Record(shape);

        var sealedJson = RecordCheck.SealedJson(record);

        // The check is the last property the serializer writes: appending it gives the sealed record's own bytes.
        Assert.Equal(Serialize(RecordCheck.Sealed(record)), Encoding.UTF8.GetString(sealedJson));
        // And it is what manifests have always held: the first 16 hex digits of the SHA-256 of the record without it.
        var plain = Encoding.UTF8.GetBytes(Serialize(record with { Check = null }));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(plain))[..16], RecordCheck.Sealed(record).Check);
        var fast = ItemRecordReader.TryRead(sealedJson);
        Assert.NotNull(fast);
        var slow = JsonSerializer.Deserialize(sealedJson, ManifestJsonContext.Default.ItemRecord)!;
        Assert.Equal(Serialize(slow), Serialize(fast));
        Assert.Equal(slow.Fields.OrderBy(f => f.Key, StringComparer.Ordinal), fast.Fields.OrderBy(f => f.Key, StringComparer.Ordinal));
        Assert.Equal(slow.Variants.Count, fast.Variants.Count);
        Assert.Equal(slow.Variants, fast.Variants);

        // The outline a pass over every record reads: the same as the serializer's.
        var outline = ItemRecordReader.TryReadOutline(sealedJson);
        Assert.NotNull(outline);
        Assert.Equal(Outline(JsonSerializer.Deserialize(sealedJson, ManifestJsonContext.Default.RecordOutline)!), Outline(outline));
    }

    private static string Outline(RecordOutline o) =>
        string.Join("|", [o.Job, o.Item, o.Source, o.Output, o.Inputs, .. o.Variants.Select(v => v.Path + ">" + v.File)]);

    [Fact]
    public void ARecordReadFromAManifestIsSealedOnlyWhenItsCheckHolds()
    {
        var sealedRecord = RecordCheck.Sealed(Record("plain"));
        Assert.Equal(Serialize(sealedRecord), Encoding.UTF8.GetString(RecordCheck.SealedJsonIfHolds(sealedRecord)!));

        Assert.Null(RecordCheck.SealedJsonIfHolds(sealedRecord with { Alt = "changed behind the check" }));
        Assert.Null(RecordCheck.SealedJsonIfHolds(sealedRecord with { Check = "0000000000000000" }));

        // Written before records had a check: kept, and sealed from now on.
        var older = sealedRecord with { Check = null };
        Assert.Equal(Serialize(sealedRecord), Encoding.UTF8.GetString(RecordCheck.SealedJsonIfHolds(older)!));
    }

    [Theory]
    [InlineData("""{"item":"a","job":"j","source":"s","output":"o","template":"t","size":"1x1","preKey":"p","fields":{},"inputs":"i","variants":[],"check":"c"}""", "reordered")]
    [InlineData("""{"job":"j","item":"a","source":"s","output":"o","alt":null,"template":"t","size":"1x1","preKey":"p","fields":{},"inputs":"i","variants":[]}""", "a null")]
    [InlineData("""{"job":"j","item":"a","source":"s","output":"o","template":"t","size":"1x1","preKey":"p","fields":{},"inputs":"i","variants":[],"extra":1}""", "an unknown name")]
    [InlineData("""{"job":"j","item":"a","source":"s","output":"o","template":"t","size":"1x1","preKey":"p","fields":{},"inputs":"i","variants":[{"path":"x","file":"x","key":"k","options":"o","width":"1","height":1,"mime":"m","bytes":1,"sha256":"h"}]}""", "a number as a string")]
    [InlineData("""{"job":"j","job":"k","item":"a","source":"s","output":"o","template":"t","size":"1x1","preKey":"p","fields":{},"inputs":"i","variants":[]}""", "a name given twice")]
    [InlineData("""{"\u006aob":"j","item":"a","source":"s","output":"o","template":"t","size":"1x1","preKey":"p","fields":{},"inputs":"i","variants":[]}""", "an escaped name")]
    public void AnyOtherFormIsLeftToTheSerializer(string json, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        if (what == "reordered")
        {
            // Order does not matter to either reader: the fast one reads it too, the same way.
            Assert.Equal(Serialize(JsonSerializer.Deserialize(bytes, ManifestJsonContext.Default.ItemRecord)!), Serialize(ItemRecordReader.TryRead(bytes)!));
            return;
        }
        Assert.Null(ItemRecordReader.TryRead(bytes));
        if (what is not ("a null" or "a number as a string"))
        {
            // Skipped values are not looked at by an outline: a null alt or a width in quotes is an outline all the same.
            Assert.Null(ItemRecordReader.TryReadOutline(bytes));
        }
        Assert.Equal(Outline(JsonSerializer.Deserialize(bytes, ManifestJsonContext.Default.RecordOutline)!), Outline(ItemRecordReader.ReadOutline(bytes)));
        string Outcome(Func<ItemRecord> read)
        {
            try
            {
                return Serialize(read());
            }
            catch (JsonException ex)
            {
                return "JsonException " + ex.Path;
            }
        }
        Assert.Equal(Outcome(() => JsonSerializer.Deserialize(bytes, ManifestJsonContext.Default.ItemRecord)!), Outcome(() => ItemRecordReader.Read(bytes)));
    }

    private static string Serialize(ItemRecord record) => JsonSerializer.Serialize(record, ManifestJsonContext.Default.ItemRecord);

    private static ItemRecord Record(string shape) => new()
    {
        Job = "cards",
        Item = shape == "escaped" ? "post \"quoted\" \\ été 日本 😀 <tag>" : "post-1",
        Source = "content/posts.json",
        Output = shape == "escaped" ? "og/été-日本" : "og/post-1",
        Alt = shape is "alt" or "escaped" ? "An alt text with \u00e9 and \t a tab" : null,
        Template = "templates/blog-post/card.sbn",
        Size = "1200x630",
        PreKey = ContentHash.Of(Encoding.UTF8.GetBytes(shape)),
        Fields = shape == "empty-fields" ? [] : new(StringComparer.Ordinal) { ["title"] = "0123456789abcdef", ["slug"] = "fedcba9876543210", ["é"] = "0000111122223333" },
        Inputs = "0123456789abcdef",
        Variants =
        [
            .. Enumerable.Range(0, shape == "many-variants" ? 9 : 2).Select(v => new VariantRecord
            {
                Path = $"og/post-1-{v}.webp",
                File = shape == "escaped" ? $"og/été-{v}.webp" : $"og/post-1-{v}.a1b2c3.webp",
                Key = ContentHash.Of(Encoding.UTF8.GetBytes($"{shape} {v}")),
                Options = "webp 1200x630 q80 effort 2",
                Width = 1200 / (v + 1),
                Height = 630 / (v + 1),
                Mime = "image/webp",
                Bytes = 123_456_789_012L + v,
                Sha256 = ContentHash.Of(Encoding.UTF8.GetBytes($"bytes {v}")),
                Quality = shape == "no-quality" ? 0 : 80 - v,
            }),
        ],
        Check = shape == "old-check" ? "ffffffffffffffff" : null,
    };
}
