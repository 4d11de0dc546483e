using System.Text.Json.Nodes;
using BuildImages.Core.Build;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>
/// A manifest or stat cache restored from a poisoned CI cache, or edited by hand, names files outside the output
/// folder. Prune and write act only inside it: such a record is dropped with a warning naming it.
/// </summary>
public sealed class PoisonedManifestTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    public static TheoryData<string, string> Poisons => new()
    {
        { "notes/gone.png", "../outside/victim.png" },
        { "../outside/victim.png", "../outside/victim.png" },
        { "notes/gone.png", "<absolute>" },
        { "<absolute>", "<absolute>" },
        { "notes/gone.png", "notes/../../outside/victim.png" },
        { "notes/gone.png", "notes\\..\\..\\outside\\victim.png" },
        { "notes/gone.png", " ../outside/victim.png" },
        { "notes/gone.png", ".buildimages-manifest.json" },
    };

    [Theory]
    [MemberData(nameof(Poisons))]
    public void APoisonedRecordIsDroppedWithAWarningAndNothingOutsideIsDeleted(string path, string file)
    {
        var victim = Path.Combine(_site.Root, "outside", "victim.png");
        Directory.CreateDirectory(Path.GetDirectoryName(victim)!);
        File.WriteAllText(victim, "precious");
        path = path.Replace("<absolute>", victim, StringComparison.Ordinal);
        file = file.Replace("<absolute>", victim, StringComparison.Ordinal);
        _site.Build();
        var manifestBefore = File.ReadAllText(_site.ManifestFile);
        var target = file == ".buildimages-manifest.json" ? _site.ManifestFile : victim;

        // A record for an item no longer configured (so prune wants it gone), with the victim's real size and hash.
        var manifest = JsonNode.Parse(manifestBefore)!.AsObject();
        var cards = manifest["cards"]!.AsObject();
        var record = cards["notes:notes/note-1"]!.DeepClone().AsObject();
        // Planted without a check, as records written before checks existed are (and as anyone can write one): the path rules must hold alone.
        record.Remove("check");
        record["item"] = "gone";
        record["output"] = "notes/gone";
        var variant = record["variants"]![0]!.AsObject();
        variant["path"] = path;
        variant["file"] = file;
        variant["bytes"] = new FileInfo(target).Length;
        variant["sha256"] = ContentHash.OfFile(target);
        cards["notes:notes/gone"] = record;
        File.WriteAllText(_site.ManifestFile, manifest.ToJsonString());

        var report = _site.Build();

        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.True(File.Exists(_site.ManifestFile));
        var warning = Assert.Single(report.Warnings, w => w.Code == "BI0031");
        Assert.Contains("notes:notes/gone", warning.Message, StringComparison.Ordinal);
        Assert.Equal(_site.ManifestFile, warning.File);
        Assert.DoesNotContain(report.Outputs, o => o.Status == OutputStatus.Pruned);
        Assert.Empty(report.Errors);
        // The good records stay trusted: nothing renders again, and the saved manifest no longer names the poison.
        Assert.Equal(0, report.Rendered);
        Assert.DoesNotContain("gone", File.ReadAllText(_site.ManifestFile), StringComparison.Ordinal);
    }

    [Fact]
    public void APoisonedStatCacheEntryIsNotTrusted()
    {
        _site.Build();
        var cacheFile = Manifest.StatCache.PathFor(_site.ManifestFile);
        // Poisoned on purpose, with its check made again: the check finds damage, not an attacker, so the paths are still checked.
        BuildFixture.EditStatCache(cacheFile, text =>
        {
            var cache = JsonNode.Parse(text)!.AsObject();
            cache["outputs"]!.AsObject()["../outside/victim.png"] = 1;
            return cache.ToJsonString();
        });

        var loaded = Manifest.StatCache.Load(cacheFile);

        Assert.DoesNotContain("../outside/victim.png", loaded.OutputTimes.Files);
        Assert.Contains("notes/note-1.png", loaded.OutputTimes.Files);
    }
}
