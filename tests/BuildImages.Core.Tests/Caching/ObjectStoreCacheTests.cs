using System.Security.Cryptography;
using BuildImages.Core.Build;
using BuildImages.Core.Caching;
using BuildImages.TestSupport;

namespace BuildImages.Core.Tests.Caching;

/// <summary>
/// The remote cache's promises, held by every object store (the same as <see cref="RemoteCacheTests"/> holds for the
/// HTTP protocol): a filled cache makes a clean checkout render nothing and write the same bytes; a damaged object is
/// never written but rendered and replaced; with a signing key, unsigned and foreign mappings are ignored; read-only
/// never writes; a store that is not there costs one warning and a local render.
/// </summary>
public abstract class ObjectStoreCacheTests<TStore> : IClassFixture<TStore>, IDisposable
    where TStore : ObjectStoreServer
{
    private readonly List<BuildFixture> _sites = [];

    protected ObjectStoreCacheTests(TStore store)
    {
        Store = store;
        Store.Clear();
    }

    protected TStore Store { get; }

    public void Dispose() => _sites.ForEach(s => s.Dispose());

    protected BuildFixture Site()
    {
        var site = new BuildFixture();
        _sites.Add(site);
        return site;
    }

    private static SortedDictionary<string, string> Written(BuildFixture site) => RemoteCacheTests.Written(site);

    [Fact]
    public void AFilledStoreMakesACleanCheckoutRenderNothingAndWriteTheSameBytes()
    {
        var filler = Site();
        var first = filler.Build(new BuildOptions { RemoteCache = Store.Options() });
        Assert.True(first.Rendered > 0 && first.Errors.Count == 0, string.Join("; ", first.Errors.Select(e => e.Message)));
        Assert.Empty(first.Warnings);
        Assert.Equal(first.Rendered, first.RemoteCache!.Uploads);
        // Under the URL's prefix: a mapping per output key and an entry per card laid out, the bytes under their own hash.
        Assert.InRange(Store.Names("ac").Count, first.Rendered + 1, first.Rendered * 2);
        Assert.All(Store.Names("cas"), name => Assert.Equal(name, Convert.ToHexStringLower(SHA256.HashData(Store.Read("cas", name)))));

        var clone = Site();
        var second = clone.Build(new BuildOptions { RemoteCache = Store.Options() });

        Assert.Equal((0, first.Rendered), (second.Rendered, second.Fetched));
        // Taken whole: no template evaluated, no card laid out.
        Assert.Equal((0.0, 0.0), (second.Stages.GetValueOrDefault("template"), second.Stages.GetValueOrDefault("layout")));
        Assert.Equal(first.Rendered, second.RemoteCache!.Hits);
        Assert.True(second.RemoteCache.BytesDown > 0);
        Assert.Empty(second.Warnings);
        Assert.Equal(Written(filler), Written(clone));
    }

    [Fact]
    public void ADamagedObjectIsNeverWrittenButRenderedAndReplaced()
    {
        var filler = Site();
        filler.Build(new BuildOptions { RemoteCache = Store.Options() });
        var damaged = Store.Names("cas")[0];
        var bytes = Store.Read("cas", damaged);
        bytes[bytes.Length / 2] ^= 0x5a;
        Store.Write("cas", damaged, bytes);

        var clone = Site();
        var report = clone.Build(new BuildOptions { RemoteCache = Store.Options() });

        Assert.Equal(1, report.RemoteCache!.Corrupt);
        Assert.True(report.Rendered >= 1);
        Assert.Contains("does not match its hash", Assert.Single(report.Warnings, w => w.Code == "BI0037").Message, StringComparison.Ordinal);
        Assert.Equal(Written(filler), Written(clone));
        Assert.Equal(damaged, Convert.ToHexStringLower(SHA256.HashData(Store.Read("cas", damaged))));
    }

    [Fact]
    public void WithASigningKeyUnsignedAndForeignMappingsAreIgnored()
    {
        var unsigned = Site().Build(new BuildOptions { RemoteCache = Store.Options() });

        var foreign = Site().Build(new BuildOptions { RemoteCache = Store.Options(readOnly: true, signingKey: "key two") });
        Assert.Equal((0, unsigned.Rendered), (foreign.Fetched, foreign.Rendered));
        Assert.Equal(unsigned.Rendered, foreign.RemoteCache!.Unsigned);
        Assert.Contains(foreign.Warnings, w => w.Code == "BI0037" && w.Message.Contains("unsigned", StringComparison.Ordinal));

        var signer = Site().Build(new BuildOptions { RemoteCache = Store.Options(signingKey: "key one") });
        Assert.Equal((0, unsigned.Rendered), (signer.Fetched, signer.Rendered));
        var other = Site().Build(new BuildOptions { RemoteCache = Store.Options(readOnly: true, signingKey: "key two") });
        Assert.Equal(0, other.Fetched);
        Assert.Contains(other.Warnings, w => w.Message.Contains("signed with another key", StringComparison.Ordinal));

        var trusted = Site().Build(new BuildOptions { RemoteCache = Store.Options(readOnly: true, signingKey: "key one") });
        Assert.Equal((unsigned.Rendered, 0), (trusted.Fetched, trusted.Rendered));
        Assert.Equal(Written(_sites[0]), Written(_sites[4]));
    }

    [Fact]
    public void ReadOnlyNeverWrites()
    {
        var report = Site().Build(new BuildOptions { RemoteCache = Store.Options(readOnly: true) });

        Assert.True(report.Rendered > 0);
        Assert.Equal((0, 0L), (report.RemoteCache!.Uploads, report.RemoteCache.BytesUp));
        Assert.Empty(Store.Names("cas"));
        Assert.Empty(Store.Names("ac"));
    }

    /// <summary>The store's options pointing at a port where nothing listens.</summary>
    protected abstract RemoteCacheOptions Unreachable();

    [Fact]
    public void AStoreThatIsNotThereCostsOneWarningAndTheBuildRendersLocally()
    {
        var site = Site();

        var report = site.Build(new BuildOptions { RemoteCache = Unreachable(), Parallelism = 2 });

        Assert.Empty(report.Errors);
        Assert.True(report.Rendered > 0);
        Assert.True(report.RemoteCache!.Off, "turned off after failures in a row");
        Assert.Single(report.Warnings, w => w.Code == "BI0037");
        Assert.All(report.Outputs, o => Assert.True(File.Exists(Path.Combine(site.Site, o.Path)), o.Path));
    }
}

/// <summary>The cache's promises on Azure Blob Storage (Azurite), and a wrong account key.</summary>
public sealed class AzureBlobCacheTests(AzuriteStore store) : ObjectStoreCacheTests<AzuriteStore>(store)
{
    protected override RemoteCacheOptions Unreachable() =>
        AzuriteStore.Options($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:{LocalServer.FreePort()}/devstoreaccount1;") with { Timeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public void AWrongAccountKeyIsOneWarningNamingTheRefusalAndNothingIsWritten()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);

        var report = Site().Build(new BuildOptions { RemoteCache = AzuriteStore.Options(Store.ConnectionString(wrongKey)) });

        Assert.Empty(report.Errors);
        Assert.True(report.Rendered > 0);
        var warning = Assert.Single(report.Warnings, w => w.Code == "BI0037");
        Assert.Contains("answered 403", warning.Message, StringComparison.Ordinal);
        Assert.True(report.RemoteCache!.Off);
        Assert.Empty(Store.Names("cas"));
    }
}

/// <summary>The cache's promises on S3 (s3rver), and a bucket that does not exist.</summary>
public sealed class S3CacheTests(S3rverStore store) : ObjectStoreCacheTests<S3rverStore>(store)
{
    protected override RemoteCacheOptions Unreachable() =>
        Store.Options() with { S3 = new S3Access("k", "s", null, "us-east-1", new Uri($"http://127.0.0.1:{LocalServer.FreePort()}")), Timeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public void ABucketThatDoesNotExistIsOneWarningNotAMissPerOutput()
    {
        var options = Store.Options() with { Url = new Uri("s3://no-such-bucket/site") };

        var report = Site().Build(new BuildOptions { RemoteCache = options });

        Assert.Empty(report.Errors);
        Assert.True(report.Rendered > 0);
        Assert.Contains("NoSuchBucket", Assert.Single(report.Warnings, w => w.Code == "BI0037").Message, StringComparison.Ordinal);
        Assert.True(report.RemoteCache!.Off, "a missing bucket is a failure, not a miss per output");
    }
}
