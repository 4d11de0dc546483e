using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using BuildImages.Core.Build;
using BuildImages.Core.Caching;
using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Rendering;
using BuildImages.Core.Serving;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Tests.Caching;

/// <summary>
/// The remote cache against a real server (nginx WebDAV on loopback): a clean checkout with a filled cache renders
/// nothing and writes the same bytes; damaged objects, unsigned or foreign mappings and a dead server cost a local
/// render and a warning, never a wrong file; read-only never writes; shards and the assembling build equal one build.
/// </summary>
public sealed class RemoteCacheTests : IClassFixture<NginxCache>, IDisposable
{
    private readonly NginxCache _server;
    private readonly List<BuildFixture> _sites = [];

    public RemoteCacheTests(NginxCache server)
    {
        _server = server;
        _server.Clear();
    }

    public void Dispose() => _sites.ForEach(s => s.Dispose());

    /// <summary>A site with the same inputs in a folder of its own, as a fresh clone on another machine would be.</summary>
    private BuildFixture Site()
    {
        var site = new BuildFixture();
        _sites.Add(site);
        return site;
    }

    private RemoteCacheOptions Cache(bool readOnly = false, string? key = null) => new()
    {
        Url = _server.Url,
        ReadOnly = readOnly,
        SigningKey = key is null ? null : System.Text.Encoding.UTF8.GetBytes(key),
    };

    /// <summary>Every file the build wrote (outputs, images.json, the manifest), by path below the output folder.</summary>
    internal static SortedDictionary<string, string> Written(BuildFixture site) =>
        new(Directory.GetFiles(site.Site, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith(".buildimages-manifest.", StringComparison.Ordinal) || f.EndsWith(".buildimages-manifest.json", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(site.Site, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);

    [Fact]
    public void AFilledCacheMakesACleanCheckoutRenderNothingAndWriteTheSameBytes()
    {
        var first = Site().Build(new BuildOptions { RemoteCache = Cache() });
        Assert.True(first.Rendered > 0 && first.Errors.Count == 0, string.Join("; ", first.Errors.Select(e => e.Message)));
        Assert.Equal(first.Rendered, first.RemoteCache!.Uploads);

        var clone = Site();
        var (acBefore, casBefore) = (_server.Gets("ac"), _server.Gets("cas"));
        var second = clone.Build(new BuildOptions { RemoteCache = Cache() });

        Assert.Equal(0, second.Rendered);
        Assert.Equal(first.Rendered, second.Fetched);
        // Card entries list their outputs: one request per card and one per output, no mapping asked for.
        Assert.Equal((CardEntries().Count, first.Rendered), (_server.Gets("ac") - acBefore, _server.Gets("cas") - casBefore));
        Assert.Equal(first.Rendered, second.RemoteCache!.Hits);
        Assert.Empty(second.Warnings);
        Assert.Equal(Written(_sites[0]), Written(clone));
    }

    [Fact]
    public void ADamagedObjectIsNeverWrittenButRenderedAndStoredAgain()
    {
        var filler = Site();
        filler.Build(new BuildOptions { RemoteCache = Cache() });
        var objects = Directory.GetFiles(Path.Combine(_server.Store, "cas"));
        var damaged = objects.Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(damaged);
        bytes[bytes.Length / 2] ^= 0x5a;
        File.WriteAllBytes(damaged, bytes);

        var clone = Site();
        var report = clone.Build(new BuildOptions { RemoteCache = Cache() });

        Assert.Equal(1, report.RemoteCache!.Corrupt);
        Assert.True(report.Rendered >= 1, "the damaged output is rendered here");
        var warning = Assert.Single(report.Warnings, w => w.Code == "BI0037");
        Assert.Contains("does not match its hash", warning.Message, StringComparison.Ordinal);
        Assert.Equal(Written(filler), Written(clone));
        // Read-write: the good bytes are stored again under their name.
        Assert.Equal(Path.GetFileName(damaged), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(damaged))));
    }

    [Fact]
    public void WithASigningKeyUnsignedAndForeignMappingsAreIgnored()
    {
        var unsigned = Site().Build(new BuildOptions { RemoteCache = Cache() });

        // Unsigned entries: ignored, rendered here, and stored again signed with this build's key.
        var signer = Site().Build(new BuildOptions { RemoteCache = Cache(key: "key one") });
        Assert.Equal((0, unsigned.Rendered), (signer.Fetched, signer.Rendered));
        Assert.Equal(unsigned.Rendered, signer.RemoteCache!.Unsigned);
        Assert.InRange(signer.Warnings.Count(w => w.Code == "BI0037"), 1, 3);

        // Signed with another key: ignored too (read-only, so the entries stay as they are).
        var foreign = Site().Build(new BuildOptions { RemoteCache = Cache(readOnly: true, key: "key two") });
        Assert.Equal((0, unsigned.Rendered), (foreign.Fetched, foreign.Rendered));
        Assert.Contains(foreign.Warnings, w => w.Message.Contains("signed with another key", StringComparison.Ordinal));

        // The right key: every output fetched.
        var trusted = Site().Build(new BuildOptions { RemoteCache = Cache(key: "key one") });
        Assert.Equal((unsigned.Rendered, 0), (trusted.Fetched, trusted.Rendered));
        Assert.Equal(Written(_sites[0]), Written(_sites[3]));
    }

    [Fact]
    public void AnOutputAnotherProcessStoredWhileThisOneClaimedItIsFetchedNotDrawnAgain()
    {
        // Another replica stores the outputs and releases the key between this build's look in the cache and its
        // claim: the lock plays that replica, building a copy of the site against the same cache on the first claim,
        // then grants the key. Holding it, the build looks once more and takes what is there.
        var other = Site();
        var racing = new RacingLock(() => other.Build(new BuildOptions { RemoteCache = Cache() }));
        var here = Site();
        var report = here.Build(new BuildOptions { RemoteCache = new RemoteCacheOptions { Url = _server.Url, RenderLock = racing } });

        Assert.True(racing.Raced);
        Assert.True(racing.Other!.Rendered > 0);
        Assert.Equal(0, report.Rendered);
        Assert.Equal(racing.Other.Rendered, report.Fetched);
        Assert.Empty(report.Errors);
        Assert.Equal(Written(other), Written(here));
    }

    /// <summary>A render lock whose first claim is raced by another process that stores everything first.</summary>
    private sealed class RacingLock(Func<BuildReport> otherProcess) : IRenderLock
    {
        private readonly Lock _gate = new();

        internal bool Raced { get; private set; }

        internal BuildReport? Other { get; private set; }

        public IDisposable? Acquire(string key)
        {
            lock (_gate)
            {
                if (!Raced)
                {
                    Raced = true;
                    Other = otherProcess();
                }
            }
            return new Granted();
        }

        private sealed class Granted : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }

    [Fact]
    public void ReadOnlyNeverWrites()
    {
        var before = _server.Puts();

        var report = Site().Build(new BuildOptions { RemoteCache = Cache(readOnly: true) });

        Assert.True(report.Rendered > 0);
        Assert.Equal(0, report.RemoteCache!.Uploads);
        Assert.Equal(before, _server.Puts());
        Assert.Empty(Directory.Exists(Path.Combine(_server.Store, "cas")) ? Directory.GetFiles(Path.Combine(_server.Store, "cas")) : []);
    }

    [Fact]
    public void ACacheThatNeverAnswersCostsOneWarningAndTheBuildRendersLocally()
    {
        // A server that accepts connections and never answers: the worst a dying cache does.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(512);
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/cache");
        var site = Site();

        var report = site.Build(new BuildOptions { RemoteCache = new RemoteCacheOptions { Url = url, Timeout = TimeSpan.FromMilliseconds(300) }, Parallelism = 2 });

        Assert.Empty(report.Errors);
        Assert.True(report.RemoteCache!.Off, "the cache is turned off after failures in a row");
        Assert.Equal(0, report.Fetched);
        Assert.Equal(Directory.GetFiles(site.Site, "*.webp", SearchOption.AllDirectories).Length + Directory.GetFiles(site.Site, "*.jpg", SearchOption.AllDirectories).Length + Directory.GetFiles(site.Site, "*.png", SearchOption.AllDirectories).Length, report.Rendered);
        Assert.Single(report.Warnings, w => w.Code == "BI0037");
        // Bounded, counted rather than timed (a busy machine stretches every timeout): each attempt is one connection,
        // still waiting in the listener's queue. Three failed requests turn the cache off; at most two more were under
        // way then (two workers and the uploader send), each of at most three attempts: 15, not one timeout per output.
        var attempts = 0;
        while (silent.Pending())
        {
            silent.AcceptTcpClient().Dispose();
            attempts++;
        }
        Assert.InRange(attempts, 3, 15);
    }

    [Fact]
    public void PhotosComeFromTheCacheWithTheirOwnSizesAndAreNotDecodedAgain()
    {
        BuildFixture PhotoSite()
        {
            var site = Site();
            Native.NativeStack.EnsureLoaded();
            foreach (var (name, width, height) in new[] { ("photos/wide.jpg", 900, 500), ("photos/tall.jpg", 300, 700) })
            {
                using var image = NetVips.Image.Black(width, height, bands: 3).NewFromImage(180, 90, 40).Cast(NetVips.Enums.BandFormat.Uchar).Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
                site.Write(name, image.JpegsaveBuffer());
            }
            site.Config["jobs"] = System.Text.Json.Nodes.JsonNode.Parse("""
                [{ "name": "photos", "kind": "photos", "sources": "photos/*.jpg", "output": "img",
                   "variants": [ { "format": "webp", "width": 400 }, { "format": "jpeg", "maxSide": 120, "suffix": "-thumb" } ] }]
                """);
            site.Save();
            return site;
        }

        var filler = PhotoSite();
        var first = filler.Build(new BuildOptions { RemoteCache = Cache() });
        var clone = PhotoSite();
        var second = clone.Build(new BuildOptions { RemoteCache = Cache(), RequireCached = true });

        Assert.Equal(4, first.Rendered);
        Assert.Empty(second.Errors);
        Assert.Equal((0, 4), (second.Rendered, second.Fetched));
        // A photo's size is known only once it is made: the cache carries it (the tall one's thumbnail is taller than wide).
        Assert.Equal(first.Outputs.Select(o => (o.Path, o.Width, o.Height)), second.Outputs.Select(o => (o.Path, o.Width, o.Height)));
        Assert.Contains(second.Outputs, o => o.Path == "img/tall-thumb.jpg" && o.Width < o.Height && o.Height <= 120);
        Assert.Equal(Written(filler), Written(clone));
        // The savings come with them (the source's size is stored with each photo output): the same report as the render's.
        Assert.Equal(4, second.Photos.Count);
        Assert.Equal(first.Photos.Select(p => (p.Path, p.SourceBytes, p.SourceWidth, p.SourceHeight, p.Bytes, p.Width, p.Height)), second.Photos.Select(p => (p.Path, p.SourceBytes, p.SourceWidth, p.SourceHeight, p.Bytes, p.Width, p.Height)));
        Assert.Equal(first.Vision.Select(v => (v.Model, v.TokensBefore, v.TokensAfter)), second.Vision.Select(v => (v.Model, v.TokensBefore, v.TokensAfter)));
        Assert.Contains(second.Photos, p => p.SourceWidth == 300 && p.SourceHeight == 700);
    }

    [Fact]
    public void ACacheThatStallsInTheMiddleOfABodyIsATimeoutNotAHang()
    {
        // Every answer: headers promising 1,000 bytes, ten of them, then silence with the connection open.
        using var stalling = new TcpListener(IPAddress.Loopback, 0);
        stalling.Start(64);
        var held = new System.Collections.Concurrent.ConcurrentBag<TcpClient>();
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var client = await stalling.AcceptTcpClientAsync();
                    held.Add(client);
                    var stream = client.GetStream();
                    var request = new byte[8192];
                    _ = await stream.ReadAsync(request);
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789"u8.ToArray());
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
            {
                // The listener was stopped at the end of the test.
            }
        });
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)stalling.LocalEndpoint).Port}/cache");
        var site = Site();

        var report = site.Build(new BuildOptions { RemoteCache = new RemoteCacheOptions { Url = url, Timeout = TimeSpan.FromMilliseconds(300) } });

        stalling.Stop();
        foreach (var client in held)
        {
            client.Dispose();
        }
        // Finished (the test would hang otherwise), everything drawn here, one warning saying why.
        Assert.Empty(report.Errors);
        Assert.Equal(0, report.Fetched);
        Assert.Equal(0, report.RemoteCache!.Hits);
        Assert.True(report.Rendered > 0);
        Assert.Single(report.Warnings, w => w.Code == "BI0037" && w.Message.Contains("no answer within", StringComparison.Ordinal));
    }

    [Fact]
    public void ACacheKilledMidBuildCostsOneWarningAndTheRestRendersLocally()
    {
        var site = Site();
        var doomed = new NginxCache();
        try
        {
            var seen = 0;
            var options = new BuildOptions { RemoteCache = new RemoteCacheOptions { Url = doomed.Url }, Parallelism = 1 };
            // The server dies after the build's second output: later lookups and uploads find nothing listening.
            var report = site.Build(options, new RecordingObserver(_ =>
            {
                if (Interlocked.Increment(ref seen) == 2)
                {
                    doomed.Dispose();
                }
            }));

            Assert.Empty(report.Errors);
            Assert.Single(report.Warnings, w => w.Code == "BI0037");
            Assert.True(report.RemoteCache!.Off);
            Assert.Equal(report.Outputs.Count(o => o.Status != OutputStatus.Pruned), report.Rendered);
            Assert.All(report.Outputs, o => Assert.True(File.Exists(Path.Combine(site.Site, o.Path)), o.Path));
        }
        finally
        {
            doomed.Dispose();
        }
    }

    [Fact]
    public void FourShardsAndTheAssemblingBuildEqualOneBuild()
    {
        var whole = Site();
        AddItems(whole);
        var single = whole.Build();
        _server.Clear();

        var shards = Enumerable.Range(1, 4).Select(k =>
        {
            var site = Site();
            AddItems(site);
            return (Site: site, Report: site.Build(new BuildOptions { RemoteCache = Cache(), Shard = new Shard(k, 4) }));
        }).ToList();
        var assembled = Site();
        AddItems(assembled);
        var assemble = assembled.Build(new BuildOptions { RemoteCache = Cache(), RequireCached = true });

        // Every output rendered by exactly one shard.
        Assert.Equal(single.Rendered, shards.Sum(s => s.Report.Rendered + s.Report.Deduplicated));
        Assert.All(shards, s => Assert.True(s.Report.Rendered > 0, "each of the 4 shards has items"));
        Assert.Empty(assemble.Errors);
        Assert.Equal(0, assemble.Rendered);
        Assert.Equal(Written(whole), Written(assembled));
        // A shard run again renders nothing.
        Assert.Equal(0, shards[2].Site.Build(new BuildOptions { RemoteCache = Cache(), Shard = new Shard(3, 4) }).Rendered);
    }

    /// <summary>The cache's card entries (the input set a card was laid out with), as opposed to output mappings.</summary>
    private List<string> CardEntries() =>
        [.. Directory.GetFiles(Path.Combine(_server.Store, "ac")).Where(f => File.ReadAllText(f).Contains("\"card\"", StringComparison.Ordinal))];

    [Fact]
    public void ACardWhoseTemplateChangedHereIsLaidOutAgainNotTakenWholeFromTheCache()
    {
        var filler = Site();
        var first = filler.Build(new BuildOptions { RemoteCache = Cache() });
        Assert.NotEmpty(CardEntries());

        // The same data and pre-keys, another partial: every card of that job must be made from this checkout's files.
        var clone = Site();
        clone.Write("tpl/mini/partials/footer.sbn", """<text font-size="12" color="#f43f5e">{{ default site "elsewhere.example" }}</text>""");
        var report = clone.Build(new BuildOptions { RemoteCache = Cache() });

        Assert.Empty(report.Errors);
        var cards = report.Outputs.Where(o => o.Path.StartsWith("og/", StringComparison.Ordinal)).ToList();
        Assert.All(cards, o => Assert.Equal(OutputStatus.Rendered, o.Status));
        Assert.All(report.Outputs.Where(o => o.Path.StartsWith("notes/", StringComparison.Ordinal)), o => Assert.Equal(OutputStatus.Fetched, o.Status));
        Assert.True(report.Stages["layout"] > 0);
        Assert.All(cards, o => Assert.NotEqual(File.ReadAllBytes(Path.Combine(filler.Site, o.Path)), File.ReadAllBytes(Path.Combine(clone.Site, o.Path))));
        Assert.True(first.Rendered > report.Rendered);
    }

    [Theory]
    [InlineData("""{"card":{"set":{"engine":"x","templates":{"../../etc/passwd":"missing"},"fonts":{},"assets":{}}}}""")]
    [InlineData("""{"card":{"set":{"engine":"x","templates":null,"fonts":{},"assets":{}}}}""")]
    [InlineData("""{"card":{"set":{"engine":"x","templates":{"tpl/mini/card.sbn":"not a hash"},"fonts":{},"assets":{}},"outputs":[]}}""")]
    [InlineData("""{"card":[],"signature":"zz"}""")]
    [InlineData("""not json""")]
    public void AHostileCardEntryIsIgnoredAndTheOutputsStillComeFromTheCache(string entry)
    {
        var first = Site().Build(new BuildOptions { RemoteCache = Cache() });
        foreach (var file in CardEntries())
        {
            File.WriteAllText(file, entry);
        }

        var clone = Site();
        var report = clone.Build(new BuildOptions { RemoteCache = Cache(readOnly: true) });

        Assert.Empty(report.Errors);
        Assert.Equal((0, first.Rendered), (report.Rendered, report.Fetched));
        Assert.True(report.Stages["layout"] > 0, "taken the ordinary way, laid out here");
        Assert.Equal(Written(_sites[0]), Written(clone));
    }

    [Fact]
    public void AnOutputACardEntryListsWronglyIsFetchedThroughItsOwnMappingInstead()
    {
        var first = Site().Build(new BuildOptions { RemoteCache = Cache() });
        foreach (var file in CardEntries())
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            foreach (var (_, output) in json["card"]!["outputs"]!.AsObject())
            {
                output!["sha256"] = new string('0', 64);
            }
            File.WriteAllText(file, json.ToJsonString());
        }

        var clone = Site();
        var report = clone.Build(new BuildOptions { RemoteCache = Cache(readOnly: true) });

        Assert.Equal((0, first.Rendered), (report.Rendered, report.Fetched));
        Assert.Equal(0.0, report.Stages.GetValueOrDefault("layout"));
        Assert.Empty(report.Warnings);
        Assert.Equal(Written(_sites[0]), Written(clone));
    }

    [Fact]
    public void ACardEntryNotSignedWithTheKeyIsIgnored()
    {
        Site().Build(new BuildOptions { RemoteCache = Cache(key: "trusted") });
        var entries = CardEntries();
        Assert.All(entries, e => Assert.Contains("\"signature\"", File.ReadAllText(e), StringComparison.Ordinal));
        // Someone who can write the cache but lacks the key strips the signatures.
        foreach (var file in entries)
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            json.Remove("signature");
            File.WriteAllText(file, json.ToJsonString());
        }

        var report = Site().Build(new BuildOptions { RemoteCache = Cache(readOnly: true, key: "trusted") });

        Assert.Equal(0, report.Rendered);
        Assert.True(report.Stages["layout"] > 0, "unsigned entries are not used: every card is laid out, its signed outputs fetched");
    }

    [Fact]
    public void ACopysMappingIsStoredSoAnAssemblingBuildFindsItWhenItsOwnerIsTakenWhole()
    {
        BuildFixture WithTwin()
        {
            var site = Site();
            // Another item whose card is the same markup (a field the template does not use differs): a copy.
            var twin = BuildFixture.Item("alpha-twin", "Alpha post");
            twin["unused"] = "only in the data";
            site.Items.Add(twin);
            site.Save();
            return site;
        }

        var first = WithTwin().Build(new BuildOptions { RemoteCache = Cache() });
        Assert.True(first.Deduplicated >= 3, "the twin's outputs are copies of alpha's");

        var assemble = WithTwin().Build(new BuildOptions { RemoteCache = Cache(), RequireCached = true });

        Assert.Empty(assemble.Errors);
        Assert.Equal(0, assemble.Rendered);
        Assert.Equal(Written(_sites[0]), Written(_sites[1]));
    }

    [Fact]
    public void RequireCachedFailsEveryItemTheCacheDoesNotHaveAndRendersNothing()
    {
        var site = Site();

        var report = site.Build(new BuildOptions { RemoteCache = Cache(), RequireCached = true });

        Assert.Equal(0, report.Rendered);
        Assert.NotEmpty(report.Errors);
        Assert.All(report.Errors, e => Assert.Equal("BI0038", e.Code));
        Assert.Empty(Directory.Exists(site.Site) ? Directory.GetFiles(site.Site, "*.webp", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task HookServerReplicasShareTheCacheSoACardOneRenderedTheOtherFetches()
    {
        // Two replicas: each its own output folder and queue, one cache.
        var replicas = new[] { Site(), Site() }.Select(site =>
        {
            var config = ConfigLoader.Load(site.ConfigFile);
            var engine = new CardEngine(config.EngineOptions());
            return (Site: site, Engine: engine, Queue: new HookQueue(() => config, engine, new HookQueueOptions { RemoteCache = Cache() }));
        }).ToList();
        try
        {
            var item = new DataItem("<hook>", 0, "breaking", new Dictionary<string, object?> { ["slug"] = "breaking", ["title"] = "Rendered by one replica" });

            var first = Assert.Single(await replicas[0].Queue.SubmitAsync("cards", [item]));
            var second = Assert.Single(await replicas[1].Queue.SubmitAsync("cards", [item]));

            Assert.Equal(HookItemStatus.Rendered, first.Status);
            Assert.All(first.Files, f => Assert.Equal(OutputStatus.Rendered, f.Status));
            Assert.Equal(HookItemStatus.Rendered, second.Status);
            Assert.All(second.Files, f => Assert.Equal(OutputStatus.Fetched, f.Status));
            Assert.Equal(first.Files.Count, second.Files.Count);
            foreach (var path in BuildFixture.PathsOf("breaking"))
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(replicas[0].Site.Site, path)), File.ReadAllBytes(Path.Combine(replicas[1].Site.Site, path)));
            }
        }
        finally
        {
            foreach (var (_, engine, queue) in replicas)
            {
                await queue.DisposeAsync();
                engine.Dispose();
            }
        }
    }

    [Fact]
    public void TheCacheUrlComesFromTheFlagThenTheEnvironmentThenTheConfiguration()
    {
        var configured = new Uri("https://configured.example/cache");
        var environment = new Dictionary<string, string> { [RemoteCacheOptions.UrlVariable] = "https://environment.example/cache", ["BUILDIMAGES_CACHE_TOKEN"] = "t0ken" };

        Assert.Equal("flag.example", RemoteCacheOptions.FromEnvironment(environment.GetValueOrDefault, "https://flag.example/c", configured: configured)!.Url.Host);
        Assert.Equal("environment.example", RemoteCacheOptions.FromEnvironment(environment.GetValueOrDefault, configured: configured)!.Url.Host);
        var fromFile = RemoteCacheOptions.FromEnvironment(n => n == "BUILDIMAGES_CACHE_TOKEN" ? "t0ken" : null, readOnly: true, configured: configured)!;
        Assert.Equal(("configured.example", true, "Bearer t0ken"), (fromFile.Url.Host, fromFile.ReadOnly, fromFile.Authorization));
        Assert.Null(RemoteCacheOptions.FromEnvironment(_ => null));
    }

    [Theory]
    [InlineData("""{ "url": "https://user:secret@cache.example/" }""", "without credentials")]
    [InlineData("""{ "url": "ftp://cache.example/" }""", "must be an http(s) URL")]
    [InlineData("""{ "readOnly": true }""", "'url' is required")]
    [InlineData("""{ "url": "https://cache.example/", "token": "x" }""", "unknown property 'token'")]
    public void ACacheSectionThatCannotBeUsedIsALocatedError(string section, string expected)
    {
        var site = Site();
        site.Config["cache"] = System.Text.Json.Nodes.JsonNode.Parse(section);
        site.Save();

        var ex = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(site.ConfigFile));

        Assert.Contains(expected, ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(site.ConfigFile, ex.Diagnostic.File);
        Assert.True(ex.Diagnostic.Line > 1, "at the value, not the file");
    }

    [Theory]
    [InlineData("CI_NODE_INDEX", "3", "CI_NODE_TOTAL", "4", 3)]
    [InlineData("CIRCLE_NODE_INDEX", "2", "CIRCLE_NODE_TOTAL", "4", 3)]
    [InlineData("JOB_COMPLETION_INDEX", "0", "BUILDIMAGES_SHARD_COUNT", "4", 1)]
    [InlineData("AWS_BATCH_JOB_ARRAY_INDEX", "3", "AWS_BATCH_JOB_ARRAY_SIZE", "4", 4)]
    [InlineData("CLOUD_RUN_TASK_INDEX", "1", "CLOUD_RUN_TASK_COUNT", "4", 2)]
    [InlineData("SYSTEM_JOBPOSITIONINPHASE", "4", "SYSTEM_TOTALJOBSINPHASE", "4", 4)]
    public void TheShardComesFromTheEnginesOwnVariablesWithTheirOwnBase(string indexName, string index, string countName, string count, int expected)
    {
        var variables = new Dictionary<string, string> { [indexName] = index, [countName] = count };

        var found = Shard.FromEnvironment(variables.GetValueOrDefault);

        Assert.Equal(new Shard(expected, 4), found?.Shard);
        Assert.Null(Shard.FromEnvironment(_ => null));
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("2")]
    [InlineData("a/b")]
    [InlineData("1/0")]
    public void AShardThatIsNotKOfNIsRefused(string text) =>
        Assert.Contains("k/n", Assert.Throws<ArgumentException>(() => Shard.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void EveryItemIsInExactlyOneShard()
    {
        var keys = Enumerable.Range(0, 2000).Select(i => $"posts:og/post-{i}").ToList();
        var counts = keys.Select(k => Enumerable.Range(1, 7).Count(i => new Shard(i, 7).Contains(k))).ToList();
        Assert.All(counts, c => Assert.Equal(1, c));
        // Spread: no shard holds less than half or more than twice its share.
        Assert.All(Enumerable.Range(1, 7), i => Assert.InRange(keys.Count(k => new Shard(i, 7).Contains(k)), 2000 / 14, 2000 * 2 / 7));
    }

    /// <summary>Enough items that every one of four shards gets some.</summary>
    private static void AddItems(BuildFixture site)
    {
        for (var i = 0; i < 16; i++)
        {
            site.Items.Add(BuildFixture.Item($"extra-{i}", $"Extra post {i}"));
        }
        site.Save();
    }
}
