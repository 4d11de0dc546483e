using System.Text;
using System.Text.RegularExpressions;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>
/// Bookkeeping files damaged on disk or in a CI cache (values that still parse) are recognised and thrown away:
/// the next build writes what an undamaged one would, byte for byte. Found by
/// <c>BuildImages.Benchmarks.dll --site-mutations N SEED bookkeeping</c>: a damaged key or output stem in a manifest
/// record went into images.json, a damaged hash in the stat cache into the next keys, and a damaged count in the
/// up-to-date record took the process down with OutOfMemoryException.
/// </summary>
public sealed partial class DamagedBookkeepingTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    private string ImagesJson => File.ReadAllText(Path.Combine(_site.Site, "images.json"));

    [GeneratedRegex("\"key\":\"([0-9a-f]{64})\"")]
    private static partial Regex VariantKey();

    [Theory]
    [InlineData("key", "not the ones its check was made from")]
    [InlineData("output", "not filed under its own job and output")]
    [InlineData("record name", "not filed under its own job and output")]
    public void AManifestRecordDamagedOnDiskIsDroppedAndItsOutputsRenderAgainAsBefore(string damaged, string why)
    {
        _site.Build();
        var before = ImagesJson;
        var text = File.ReadAllText(_site.ManifestFile);
        var damagedText = damaged switch
        {
            "key" => VariantKey().Replace(text, m => $"\"key\":\"{new string(m.Groups[1].Value.Reverse().ToArray())}\"", 1),
            "output" => text.Replace("\"output\":\"og/alpha\"", "\"output\":\"og/alp&ha\"", StringComparison.Ordinal),
            _ => text.Replace("\"cards:og/alpha\":", "\"--cards:og/alpha\":", StringComparison.Ordinal),
        };
        Assert.NotEqual(text, damagedText);
        File.WriteAllText(_site.ManifestFile, damagedText);

        var report = _site.Build();

        var warning = Assert.Single(report.Warnings, w => w.Code == "BI0031");
        Assert.Contains(why, warning.Message, StringComparison.Ordinal);
        Assert.True(report.Rendered > 0);
        Assert.Equal(before, ImagesJson);
        Assert.Equal(text, File.ReadAllText(_site.ManifestFile));
    }

    [Fact]
    public void AManifestInputSetWhoseFilesAreNotItsIdsIsDroppedAndItsCardsRenderAgain()
    {
        _site.Build();
        var before = ImagesJson;
        var text = File.ReadAllText(_site.ManifestFile);
        // The first file hash inside the input sets: a font's or a template's.
        var inputs = text.IndexOf("\"inputs\":{", StringComparison.Ordinal);
        var hash = Regex.Match(text[inputs..], "\":\"([0-9a-f]{64})\"").Groups[1];
        File.WriteAllText(_site.ManifestFile, text[..(inputs + hash.Index)] + new string('0', 64) + text[(inputs + hash.Index + 64)..]);

        var report = _site.Build();

        Assert.Contains(report.Warnings, w => w.Code == "BI0031" && w.Message.Contains("input set", StringComparison.Ordinal));
        Assert.True(report.Rendered > 0);
        Assert.Equal(before, ImagesJson);
    }

    [Fact]
    public void AStatCacheWhoseCheckDoesNotMatchIsIgnoredNotBelieved()
    {
        _site.Build();
        var before = ImagesJson;
        var file = StatCache.PathFor(_site.ManifestFile);
        var text = File.ReadAllText(file);
        // A hash of an input file changed behind the build's back, the file's size and time still the ones recorded.
        var hash = Regex.Match(text, "\"sha256\":\"([0-9a-f]{64})\"").Groups[1];
        File.WriteAllText(file, text[..hash.Index] + new string('0', 64) + text[(hash.Index + 64)..]);

        Assert.Empty(StatCache.Load(file).Files);
        var report = _site.Build();

        Assert.Equal(0, report.Rendered);
        Assert.Equal(before, ImagesJson);
    }

    [Fact]
    public void AnUpToDateRecordCountingMoreFilesThanItHoldsIsNoRecord()
    {
        _site.Build();
        var file = UpToDateRecord.PathFor(_site.ManifestFile);
        var bytes = File.ReadAllBytes(file);
        using (var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8))
        {
            reader.ReadString();
            reader.ReadInt32();
            for (var i = 0; i < 5; i++)
            {
                reader.ReadString();
            }
            BitConverter.TryWriteBytes(bytes.AsSpan((int)reader.BaseStream.Position), 0x7FFF_FFF0);
        }
        File.WriteAllBytes(file, bytes);

        Assert.Null(UpToDateRecord.Load(file));
        var report = _site.Build();
        Assert.Equal((0, false), (report.Rendered, report.UpToDate));
    }
}
