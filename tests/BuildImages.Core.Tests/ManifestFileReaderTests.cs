using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BuildImages.Core.Manifest;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests;

/// <summary>
/// A build reads the manifest as BuildImages writes it a buffer at a time and keeps each record's own bytes when its
/// check holds for them; a manifest in any other shape is read by the serializer, and either way the records handed
/// on are the ones the serializer reads.
/// </summary>
public sealed class ManifestFileReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-manifest-reader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AManifestAsWrittenIsReadWithEachRecordsOwnBytesKept()
    {
        var (file, records) = Written(3000);

        var seen = new List<string>();
        using (var stream = File.OpenRead(file))
        {
            var header = ManifestFileReader.Read(stream, (key, bytes) =>
            {
                seen.Add(key);
                // The bytes as written are the sealed record: nothing to serialise again.
                var kept = RecordCheck.SealedAsWritten(bytes.ToArray());
                Assert.NotNull(kept);
                Assert.Equal(RecordCheck.SealedJson(records[key]), kept);
            });
            Assert.NotNull(header);
            Assert.Equal(ManifestDocument.FormatName, header.Value.Format);
            Assert.Equal(ManifestDocument.CurrentVersion, header.Value.Version);
            Assert.Single(header.Value.Inputs);
        }
        Assert.Equal(records.Keys.Order(StringComparer.Ordinal), seen);

        // A record whose bytes were changed behind its check is not kept as written.
        var one = RecordCheck.SealedJson(records[seen[0]]);
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(one).Replace("\"width\":240", "\"width\":241", StringComparison.Ordinal));
        Assert.NotEqual(one, changed);
        Assert.Null(RecordCheck.SealedAsWritten(changed));
    }

    [Fact]
    public void AValueLargerThanTheReaderTakesIsLeftToTheSerializer()
    {
        // A record of 3 MB (its alt text) against a reader that takes values up to 2 MB: not read, so the serializer reads the file.
        var (file, records) = Written(20, huge: true);
        using (var stream = File.OpenRead(file))
        {
            var handed = 0;
            Assert.Null(ManifestFileReader.Read(stream, (_, _) => handed++, largestValue: 2 << 20));
            Assert.Equal(7, handed);
        }
        using (var stream = File.OpenRead(file))
        {
            Assert.NotNull(ManifestFileReader.Read(stream, (_, _) => { }, largestValue: 4 << 20));
        }
        var handedOn = new List<ItemRecord?>();
        var (inputs, warnings) = new ManifestStore(file).Stream((_, record) => handedOn.Add(record));
        Assert.NotNull(inputs);
        Assert.Empty(warnings);
        // Through the store, whose reader takes values up to 256 MiB: every record, the large one whole.
        Assert.Equal(records.Count, handedOn.Where(r => r is not null).Select(r => r!.Item).Distinct().Count());
        Assert.Contains(handedOn, r => r?.Alt?.Length == 3 * 1024 * 1024);
    }

    public static TheoryData<string> Shapes => ["as written", "indented", "cards first", "an extra property", "a null record", "an unknown record property", "a record in another order", "a huge record", "trailing text", "cut off", "not json", "a bad string", "a key given twice"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AnyShapeHandsOnWhatTheSerializerReads(string shape)
    {
        // Past the records checked on the reading thread, so later ones are checked on threads of their own.
        var (file, records) = Written(shape == "a key given twice" ? OrderedRecordChecks<int>.InlineRecords + 1000 : 1500, huge: shape == "a huge record");
        Reshape(file, shape);

        var expected = SerializerRead(file);
        var handed = new List<(string Key, string? Record)>();
        var (inputs, warnings) = new ManifestStore(file).Stream((key, record) => handed.Add((key, record is null ? null : Json(record))));

        if (expected.Failed)
        {
            Assert.Null(inputs);
            return;
        }
        Assert.NotNull(inputs);
        Assert.Equal(expected.Inputs, inputs.Count);
        // The last record handed on for a key is the one that stands.
        var last = handed.GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.Last().Record, StringComparer.Ordinal);
        Assert.Equal(expected.Records.Keys.Order(StringComparer.Ordinal), last.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, record) in expected.Records)
        {
            Assert.Equal(record, last[key]);
        }
        Assert.Equal(expected.Records.Count(r => r.Value is null), warnings.Count);
        if (shape == "a key given twice")
        {
            Assert.Null(last["cards:og/post-04200"]);
        }
        if (shape is "as written" or "indented" or "a huge record")
        {
            Assert.Equal(records.Count, last.Count(l => l.Value is not null));
        }
    }

    private (string File, Dictionary<string, ItemRecord> Records) Written(int count, bool huge = false)
    {
        var file = Path.Combine(_dir, $"m{Guid.NewGuid():N}.json");
        var records = Enumerable.Range(0, count).ToDictionary(i => $"cards:og/post-{i:D5}", i => Record(i, huge && i == 7), StringComparer.Ordinal);
        var inputs = new Dictionary<string, InputSet>(StringComparer.Ordinal) { [InputId] = Set };
        var keys = records.Keys.Order(StringComparer.Ordinal).ToList();
        new ManifestStore(file).Save(inputs, w =>
        {
            foreach (var key in keys)
            {
                w.WritePropertyName(key);
                w.WriteRawValue(RecordCheck.SealedJson(records[key]), skipInputValidation: true);
            }
        });
        return (file, records);
    }

    private static void Reshape(string file, string shape)
    {
        var text = File.ReadAllText(file);
        JsonObject Root() => JsonNode.Parse(text)!.AsObject();
        text = shape switch
        {
            "indented" => Root().ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
            "cards first" => Reorder(Root(), "cards", "format", "version", "inputs"),
            "an extra property" => text[..^1] + ",\"later\":{\"a\":1}}",
            "a null record" => text.Replace("\"cards:og/post-00003\":{", "\"cards:og/post-00003\":null,\"x\":{", StringComparison.Ordinal),
            "an unknown record property" => text.Replace("\"cards:og/post-00004\":{", "\"cards:og/post-00004\":{\"comment\":\"hand edit\",", StringComparison.Ordinal),
            "a record in another order" => text.Replace("\"cards:og/post-00005\":{\"job\":\"cards\",\"item\":\"post-00005\"", "\"cards:og/post-00005\":{\"item\":\"post-00005\",\"job\":\"cards\"", StringComparison.Ordinal),
            "trailing text" => text + " x",
            "cut off" => text[..(text.Length * 2 / 3)],
            "not json" => "\u0001\u0002 binary",
            "a bad string" => text.Replace("\"cards:og/post-00009\"", "\"cards:og/post-\\ud800\"", StringComparison.Ordinal),
            // Where records are checked on other threads, and batches later: record 4201's bytes filed again under
            // post-04200's key, which must be the one that stands (dropped: not filed under its own output), whatever
            // order the checks end in.
            "a key given twice" => text.Replace("\"cards:og/post-05000\":", "\"cards:og/post-04200\":" + Between(text, "\"cards:og/post-04201\":", ",\"cards:og/post-04202\"") + ",\"cards:og/post-05000\":", StringComparison.Ordinal),
            _ => text,
        };
        File.WriteAllText(file, text);
    }

    private static string Between(string text, string before, string after)
    {
        var start = text.IndexOf(before, StringComparison.Ordinal) + before.Length;
        return text[start..text.IndexOf(after, start, StringComparison.Ordinal)];
    }

    private static string Reorder(JsonObject root, params string[] names)
    {
        var reordered = new JsonObject();
        foreach (var name in names)
        {
            reordered[name] = root[name]!.DeepClone();
        }
        return reordered.ToJsonString();
    }

    /// <summary>What the serializer alone reads from the file: the input sets and each key's last record (null when dropped).</summary>
    private static (bool Failed, int Inputs, Dictionary<string, string?> Records) SerializerRead(string file)
    {
        var records = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            using var stream = File.OpenRead(file);
            var document = JsonSerializer.Deserialize(stream, StreamedManifest.TypeInfo(new ManifestRecordSink((key, record) =>
                records[key] = record is null || key != $"{record.Job}:{record.Output}" || RecordCheck.SealedJsonIfHolds(record) is null ? null : Json(record))));
            return document is null || document.Format != ManifestDocument.FormatName || document.Version != ManifestDocument.CurrentVersion
                ? (true, 0, records)
                : (false, document.Inputs.Count, records);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return (true, 0, records);
        }
    }

    private static readonly InputSet Set = new() { Engine = "e", Templates = new() { ["t.sbn"] = "h" }, Fonts = new(), Assets = new() };

    /// <summary>A set's id is the start of its hash (a set whose id is not is dropped as damaged).</summary>
    private static readonly string InputId = Set.Hash()[..16];

    private static string Json(ItemRecord record) => JsonSerializer.Serialize(record with { Check = null }, ManifestJsonContext.Default.ItemRecord);

    private static ItemRecord Record(int i, bool huge) => new()
    {
        Job = "cards",
        Item = $"post-{i:D5}",
        Source = "items.json",
        Output = $"og/post-{i:D5}",
        Alt = huge ? new string('a', 3 * 1024 * 1024) : $"Post {i} – été",
        Template = "tpl/mini/card.sbn",
        Size = "240x126",
        PreKey = ContentHash.Of(Encoding.UTF8.GetBytes($"{i}")),
        Fields = new(StringComparer.Ordinal) { ["title"] = "0123456789abcdef", ["slug"] = $"{i:x16}" },
        Inputs = InputId,
        Variants =
        [
            .. Enumerable.Range(0, 2).Select(v => new VariantRecord
            {
                Path = $"og/post-{i:D5}-{v}.webp",
                File = $"og/post-{i:D5}-{v}.webp",
                Key = ContentHash.Of(Encoding.UTF8.GetBytes($"{i} {v}")),
                Options = "webp 240x126 q80 effort 2",
                Width = 240,
                Height = 126,
                Mime = "image/webp",
                Bytes = 1000 + i,
                Sha256 = ContentHash.Of(Encoding.UTF8.GetBytes($"bytes {i} {v}")),
                Quality = 80,
            }),
        ],
    };
}
