using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>Machine-local bookkeeping files (a CI cache may restore them) are checked like the manifest before anything acts on them.</summary>
public sealed class BookkeepingTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Theory]
    [InlineData("input-key")]
    [InlineData("output-path")]
    public void AnUpToDateRecordNamingAPathNoBuildMakesProvesNothing(string planted)
    {
        _site.Build();
        var file = UpToDateRecord.PathFor(_site.ManifestFile);
        var record = UpToDateRecord.Load(file)!;
        var outside = Path.Combine(_site.Root, "..", Path.GetFileName(_site.Root) + "-outside.txt");
        File.WriteAllText(outside, "beside the project");
        try
        {
            var info = new FileInfo(outside);
            var tampered = planted == "input-key"
                ? new UpToDateRecord { Fingerprint = record.Fingerprint, ManifestStamp = record.ManifestStamp, MetadataStamp = record.MetadataStamp, Native = record.Native, Outputs = record.Outputs,
                    Files = [.. record.Files, ("../" + Path.GetFileName(outside), new FileRecord(info.Length, info.LastWriteTimeUtc.Ticks, ContentHash.OfFile(outside)))] }
                : new UpToDateRecord { Fingerprint = record.Fingerprint, ManifestStamp = record.ManifestStamp, MetadataStamp = record.MetadataStamp, Native = record.Native, Files = record.Files,
                    Outputs = [.. record.Outputs.Select((o, i) => i == 0 ? o with { File = "../../" + Path.GetFileName(outside) } : o)] };
            tampered.Save(file);

            // A planted input key is refused as the record is loaded; the outputs are read (and checked) as the fast path walks them.
            if (planted == "input-key")
            {
                Assert.Null(UpToDateRecord.Load(file));
            }
            else
            {
                Assert.Contains(UpToDateRecord.Load(file)!.Outputs, o => o.File.StartsWith("../../", StringComparison.Ordinal));
            }
            var report = _site.Build();
            Assert.False(report.UpToDate, "the fast path took a record naming a path outside the project");
            Assert.Equal(0, report.Rendered);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void AStatCacheEntryWithAKeyNoBuildMakesIsDroppedAndADeviceIsNeverHashed()
    {
        _site.Build();
        var file = StatCache.PathFor(_site.ManifestFile);
        BuildFixture.EditStatCache(file, text => text.Replace("\"files\":{", "\"files\":{\"../../etc/passwd\":{\"size\":1,\"modifiedTicks\":1,\"sha256\":\"x\"},\"a/./b\":{\"size\":1,\"modifiedTicks\":1,\"sha256\":\"x\"},", StringComparison.Ordinal));

        var cache = StatCache.Load(file);

        Assert.NotEmpty(cache.Files);
        Assert.DoesNotContain("../../etc/passwd", cache.Files.Keys);
        Assert.DoesNotContain("a/./b", cache.Files.Keys);
        Assert.True(KeyPaths.IsCanonicalKey("/usr/share/fonts/x.ttf") && KeyPaths.IsCanonicalKey("builtin/blog-post/card.sbn") && !KeyPaths.IsCanonicalKey("/usr/share/../x") && !KeyPaths.IsCanonicalKey("a\\b"));
        if (OperatingSystem.IsLinux())
        {
            // A key may be absolute (a system font); what it names is hashed only if it is a regular file.
            var ex = Assert.Throws<IOException>(() => ContentHash.OfFile("/dev/zero"));
            Assert.Contains("not a regular file", ex.Message, StringComparison.Ordinal);
            Assert.Null(FileHashCache.Current("/dev/zero", new FileRecord(5, 5, "x")));
        }
    }
}
