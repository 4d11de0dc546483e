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
    [InlineData("folder-key")]
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
            var tampered = planted switch
            {
                "input-key" => new UpToDateRecord { Fingerprint = record.Fingerprint, ListedPrint = record.ListedPrint, Folders = record.Folders, ManifestStamp = record.ManifestStamp, MetadataStamp = record.MetadataStamp, Native = record.Native, Outputs = record.Outputs,
                    Files = [.. record.Files, ("../" + Path.GetFileName(outside), new FileRecord(info.Length, info.LastWriteTimeUtc.Ticks, ContentHash.OfFile(outside)))] },
                "folder-key" => new UpToDateRecord { Fingerprint = record.Fingerprint, ListedPrint = record.ListedPrint, ManifestStamp = record.ManifestStamp, MetadataStamp = record.MetadataStamp, Native = record.Native, Outputs = record.Outputs, Files = record.Files,
                    Folders = new Dictionary<string, UInt128>(record.Folders!) { [".."] = UInt128.Zero } },
                _ => new UpToDateRecord { Fingerprint = record.Fingerprint, ListedPrint = record.ListedPrint, Folders = record.Folders, ManifestStamp = record.ManifestStamp, MetadataStamp = record.MetadataStamp, Native = record.Native, Files = record.Files,
                    Outputs = [.. record.Outputs.Select((o, i) => i == 0 ? o with { File = "../../" + Path.GetFileName(outside) } : o)] },
            };
            tampered.Save(file);

            // A planted folder key is refused as the record is loaded; input keys as its files are read, before any is
            // looked at; the outputs are read (and checked) as the fast path walks them.
            switch (planted)
            {
                case "folder-key":
                    Assert.Null(UpToDateRecord.Load(file));
                    break;
                case "input-key":
                    var files = UpToDateRecord.Load(file)!.Files;
                    Assert.Throws<InvalidDataException>(() => files.ToList());
                    break;
                default:
                    Assert.Contains(UpToDateRecord.Load(file)!.Outputs, o => o.File.StartsWith("../../", StringComparison.Ordinal));
                    break;
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
