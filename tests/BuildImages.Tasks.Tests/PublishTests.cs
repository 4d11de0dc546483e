using System.Diagnostics;
using System.Text.Json;
using BuildImages.Tests.Shared;

namespace BuildImages.Tasks.Tests;

/// <summary>
/// The real package on a real project: pack BuildImages into a folder, write a project that references it through
/// a nuget.config, and run `dotnet publish` as a child process, as sourcelink's DotNetSdkTestBase does.
/// </summary>
public sealed class PublishTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-publish-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Site => Path.Combine(_dir, "site");

    private void Write(string relative, string text)
    {
        var full = Path.Combine(Site, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    /// <summary>Writes a console site using the package packed for this test run (<see cref="Packages"/>).</summary>
    private void CreateSite()
    {
        var (packages, version) = (Packages.Folder, Packages.Version);
        Write("site.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageReference Include="BuildImages" Version="{version}" /></ItemGroup>
            </Project>
            """);
        Write("Program.cs", "System.Console.WriteLine(\"site\");");
        Write("nuget.config", $"""<configuration><packageSources><add key="local" value="{packages}" /></packageSources></configuration>""");
        foreach (var file in Directory.GetFiles(Path.Combine(Packages.RepoRoot, "templates", "blog-post")))
        {
            Write(Path.Combine("tpl", "post", Path.GetFileName(file)), File.ReadAllText(file));
        }
        Write("content/hello.md", "---\ntitle: Hello from publish\n---\nBody.\n");
        Write("content/second.md", "---\ntitle: The second post\n---\nBody.\n");
        Write("buildimages.json", """
            { "outputDir": "wwwroot", "baseUrl": "https://example.com/",
              "jobs": [ { "name": "posts", "template": "tpl/post", "data": "content/*.md", "output": "og/{{ slug }}",
                          "variants": [ { "format": "webp" }, { "format": "jpeg", "width": 600 } ] } ] }
            """);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheSampleSitePublishesPagesWhoseOgImagesExistWithTheirDeclaredSizes()
    {
        var (packages, version) = (Packages.Folder, Packages.Version);
        var source = Path.Combine(Packages.RepoRoot, "samples", "site");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj" or "wwwroot" or "pub")
            {
                continue;
            }
            var target = Path.Combine(Site, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        Write("nuget.config", $"""<configuration><packageSources><add key="local" value="{packages}" /></packageSources></configuration>""");

        var publish = Publish($"-p:BuildImagesVersion={version}");

        Assert.True(publish.Code == 0, publish.Output);
        var pages = Directory.GetFiles(Path.Combine(Site, "pub", "wwwroot", "posts"), "*.html");
        Assert.Equal(3, pages.Length);
        foreach (var page in pages)
        {
            var html = File.ReadAllText(page);
            var url = Meta(html, "property", "og:image");
            Assert.StartsWith("https://blog.example.com/", url, StringComparison.Ordinal);
            var relative = new Uri(url).AbsolutePath.TrimStart('/');
            var image = Path.Combine(Site, "pub", "wwwroot", Uri.UnescapeDataString(relative));
            Assert.True(File.Exists(image), $"{page} names {url}, which was not published");
            var (_, width, height) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(image));
            Assert.Equal(int.Parse(Meta(html, "property", "og:image:width"), System.Globalization.CultureInfo.InvariantCulture), width);
            Assert.Equal(int.Parse(Meta(html, "property", "og:image:height"), System.Globalization.CultureInfo.InvariantCulture), height);
            Assert.Equal(url, Meta(html, "name", "twitter:image"));
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ImageVariantsItemsRightSizePhotosKeepingTheirRelativePathsAndPublishThem()
    {
        CreateSite();
        File.Delete(Path.Combine(Site, "buildimages.json"));
        Core.Native.NativeStack.EnsureLoaded();
        foreach (var name in new[] { "wwwroot/photos/shop/red.jpg", "wwwroot/photos/top.jpg" })
        {
            using var photo = NetVips.Image.Black(1600, 1200, bands: 3).NewFromImage(200, 60, 40).Cast(NetVips.Enums.BandFormat.Uchar).Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Site, name))!);
            File.WriteAllBytes(Path.Combine(Site, name), photo.JpegsaveBuffer());
        }
        // A translucent 16-bit PNG through the same variants (it failed every publish: "out of order read").
        File.WriteAllBytes(Path.Combine(Site, "wwwroot/photos/logo.png"), AlphaPngs.Make(AlphaPngs.Kind.Rgba16Translucent, 1200, 1800));
        var project = File.ReadAllText(Path.Combine(Site, "site.csproj"));
        File.WriteAllText(Path.Combine(Site, "site.csproj"), project.Replace("</Project>", """
              <ItemGroup><ImageVariants Include="wwwroot/photos/**/*.jpg;wwwroot/photos/*.png" Widths="480;960" Formats="webp;jpeg" /></ItemGroup>
            </Project>
            """, StringComparison.Ordinal));

        var first = Publish();

        Assert.True(first.Code == 0, first.Output);
        Assert.Contains("BuildImages: rendered 12, skipped 0", first.Output, StringComparison.Ordinal);
        using (var logo = NetVips.Image.NewFromFile(Path.Combine(Site, "pub", "wwwroot", "img", "logo-480.webp")))
        {
            Assert.Equal((480, 720, true), (logo.Width, logo.Height, logo.HasAlpha()));
        }
        var (_, width, height) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(Site, "pub", "wwwroot", "img", "shop", "red-480.webp")));
        Assert.Equal((480, 360), (width, height));
        Assert.True(File.Exists(Path.Combine(Site, "pub", "wwwroot", "img", "top-960.jpg")));
        Assert.Contains("<picture>", File.ReadAllText(Path.Combine(Site, "wwwroot", "images.json")), StringComparison.Ordinal);
        Assert.Contains("Skipping target \"BuildImagesRender\"", Publish().Output, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void SocialImageItemsWithoutAConfigRenderAndAMetadataChangeRerendersThem()
    {
        CreateSite();
        File.Delete(Path.Combine(Site, "buildimages.json"));
        var project = File.ReadAllText(Path.Combine(Site, "site.csproj"));
        string WithItems(string quality, string encoder = "balanced") => project.Replace("</Project>", $$$"""
              <PropertyGroup><BuildImagesBaseUrl>https://example.com/</BuildImagesBaseUrl></PropertyGroup>
              <ItemGroup><SocialImage Include="content/*.md" Template="blog-post" OutputPattern="cards/{{ slug }}" Formats="jpeg" Widths="1200;600" Quality="{{{quality}}}" Encoder="{{{encoder}}}" /></ItemGroup>
            </Project>
            """, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(Site, "site.csproj"), WithItems("80"));
        // A Thai title: its words come from ICU's dictionaries (ICU4N), loaded inside MSBuild's task load context.
        Write("content/thai.md", "---\ntitle: ภาษาไทยเป็นภาษาที่มีระดับเสียงของคำแน่นอน\n---\nBody.\n");

        var first = Publish();

        Assert.True(first.Code == 0, first.Output);
        Assert.Contains("BuildImages: rendered 6, skipped 0", first.Output, StringComparison.Ordinal);
        var (_, thaiWidth, thaiHeight) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(Site, "wwwroot", "cards", "thai.jpg")));
        Assert.Equal((1200, 630), (thaiWidth, thaiHeight));
        var (_, width, _) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(Path.Combine(Site, "pub", "wwwroot", "cards", "hello-600.jpg")));
        Assert.Equal(600, width);
        var before = File.ReadAllBytes(Path.Combine(Site, "wwwroot", "cards", "hello.jpg"));

        Assert.Contains("Skipping target \"BuildImagesRender\"", Publish().Output, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(Site, "site.csproj"), WithItems("60"));
        var changed = Publish();
        Assert.True(changed.Code == 0, changed.Output);
        Assert.Contains("BuildImages: rendered 6, skipped 0", changed.Output, StringComparison.Ordinal);
        var sixty = File.ReadAllBytes(Path.Combine(Site, "wwwroot", "cards", "hello.jpg")).Length;
        Assert.True(sixty < before.Length, "quality 60 is smaller than 80");

        // The small profile writes progressive JPEGs: smaller again at the same quality.
        File.WriteAllText(Path.Combine(Site, "site.csproj"), WithItems("60", "small"));
        var small = Publish();
        Assert.True(small.Code == 0, small.Output);
        Assert.Contains("BuildImages: rendered 6, skipped 0", small.Output, StringComparison.Ordinal);
        Assert.True(File.ReadAllBytes(Path.Combine(Site, "wwwroot", "cards", "hello.jpg")).Length < sixty, "the small profile is smaller at the same quality");

        File.WriteAllText(Path.Combine(Site, "site.csproj"), WithItems("200"));
        var bad = Publish();
        Assert.NotEqual(0, bad.Code);
        var (line, column) = Position(File.ReadAllText(Path.Combine(Site, "site.csproj")), "Quality=");
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(bad.Output, $@"site\.csproj\({line},{column}\): error BI0004: SocialImage 'content/[a-z]+\.md' \(Quality\): .*quality"), bad.Output);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task APublishAndAToolBuildWaitingForOneOutputFolderBothRunInTurnAndBothManifestsStayValid()
    {
        // The test holds the folder's lock until both have reached it: they must overlap, whatever the machine's speed.
        CreateSite();
        for (var i = 0; i < 10; i++)
        {
            Write($"content/post-{i:D3}.md", $"---\ntitle: Post number {i} of a shared folder\n---\n");
        }
        var tool = Path.Combine(Packages.RepoRoot, "src", "BuildImages.Tool", "bin", "Release", "net10.0", "dotnet-build-images.dll");
        Assert.True(File.Exists(tool), "the tool is built with the solution");
        var limit = TimeSpan.FromMinutes(10);
        StreamedProcess build;
        StreamedProcess publish;
        using (Core.Output.OutputFolderLock.Acquire(Path.Combine(Site, "wwwroot"), TimeSpan.FromSeconds(5)))
        {
            build = new StreamedProcess(Site, new Dictionary<string, string> { ["CI"] = "true" }, tool, "build", "--parallel", "1");
            build.WaitForLine("waiting for another build", limit);
            publish = new StreamedProcess(Site, null, "publish", "-c", "Release", "-o", "pub", "--nologo", "-v:n");
            publish.WaitForLine("waiting for another build", limit);
        }
        using (build)
        using (publish)
        {
            var (toolCode, toolOutput) = await build.ExitAsync();
            var (publishCode, publishOutput) = await publish.ExitAsync();

            Assert.True(toolCode == 0, toolOutput);
            Assert.True(publishCode == 0, publishOutput);
            Assert.Contains("BuildImages: rendered", publishOutput, StringComparison.Ordinal);
            Assert.Contains("rendered 24,", toolOutput, StringComparison.Ordinal);
        }
        foreach (var manifest in new[] { Path.Combine(Site, "wwwroot", ".buildimages-manifest.json"), Path.Combine(Site, "obj", "Release", "net10.0", "buildimages", "manifest.json") })
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
            Assert.Equal(12, doc.RootElement.GetProperty("cards").EnumerateObject().Count());
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ItemMetadataMistakesAreLocatedErrorsAndOnUnreadableReachesThePhotosJob()
    {
        CreateSite();
        File.Delete(Path.Combine(Site, "buildimages.json"));
        Write("wwwroot/photos/broken.jpg", "not a jpeg at all");
        var project = File.ReadAllText(Path.Combine(Site, "site.csproj"));
        foreach (var (template, expected) in new[] { ("../../../../../../etc", "template '../../../../../../etc' not found"), ("blog-pots", "template 'blog-pots' not found; did you mean 'blog-post'?") })
        {
            File.WriteAllText(Path.Combine(Site, "site.csproj"), project.Replace("</Project>", $"""
                  <ItemGroup>
                    <SocialImage Include="content/*.md"
                                 Template="{template}" />
                  </ItemGroup>
                </Project>
                """, StringComparison.Ordinal));

            var mistake = Publish();

            Assert.NotEqual(0, mistake.Code);
            Assert.False(mistake.Output.Contains("BI0009", StringComparison.Ordinal), mistake.Output);
            var (line, column) = Position(File.ReadAllText(Path.Combine(Site, "site.csproj")), "Template=");
            Assert.Contains($"site.csproj({line},{column}): error BI0106: SocialImage 'content/hello.md' (Template): {expected}", mistake.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("buildimages.json", mistake.Output, StringComparison.Ordinal);
        }

        // Items written in an imported file, two files in one job, a width that is not a number: the error is at that
        // attribute in that file, naming one of the job's items and the metadata.
        var props = Path.Combine(Site, "Directory.Build.props");
        File.WriteAllText(props, """
            <Project>
              <ItemGroup>
                <SocialImage Include="content/*.md" Job="posts"
                             Widths="600;wide" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Site, "site.csproj"), project);
        var imported = Publish();
        Assert.NotEqual(0, imported.Code);
        var (propsLine, propsColumn) = Position(File.ReadAllText(props), "Widths=");
        Assert.Matches($@"Directory\.Build\.props\({propsLine},{propsColumn}\): error BI0004: SocialImage 'content/[a-z]+\.md' \(Widths\): 'width' must be a whole number, not 'wide'", imported.Output);

        // A mistake in buildimages.json beside items stays in buildimages.json, at its own value, worded as the file's.
        File.WriteAllText(props, """
            <Project>
              <ItemGroup><SocialImage Include="content/*.md" Job="posts" /></ItemGroup>
            </Project>
            """);
        var json = """
            {
              "outputDir": "wwwroot",
              "jobs": [
                { "name": "own", "template": "blog-post", "data": "content/*.md", "output": "own/{{ slug }}",
                  "size": "big" }
              ]
            }
            """;
        File.WriteAllText(Path.Combine(Site, "buildimages.json"), json);
        var own = Publish();
        Assert.NotEqual(0, own.Code);
        var (jsonLine, jsonColumn) = Position(json, "\"big\"");
        Assert.Contains($"buildimages.json({jsonLine},{jsonColumn}): error BI0004: 'size' must look like", own.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("SocialImage '", own.Output, StringComparison.Ordinal);
        File.Delete(props);
        File.Delete(Path.Combine(Site, "buildimages.json"));

        File.WriteAllText(Path.Combine(Site, "site.csproj"), project.Replace("</Project>", """
              <ItemGroup><ImageVariants Include="wwwroot/photos/*.jpg" OnUnreadable="skip" /></ItemGroup>
            </Project>
            """, StringComparison.Ordinal));
        var skipped = Publish();

        Assert.True(skipped.Code == 0, skipped.Output);
        Assert.Contains("warning BI0301", skipped.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("MSB4118", skipped.Output, StringComparison.Ordinal);

        // The photos' own folder as the output folder: an error before anything is written, the original untouched.
        Core.Native.NativeStack.EnsureLoaded();
        using (var photo = NetVips.Image.Black(1600, 1000, bands: 3).NewFromImage(200, 60, 40).Cast(NetVips.Enums.BandFormat.Uchar).Copy(interpretation: NetVips.Enums.Interpretation.Srgb))
        {
            File.WriteAllBytes(Path.Combine(Site, "wwwroot", "photos", "broken.jpg"), photo.JpegsaveBuffer());
        }
        var original = File.ReadAllBytes(Path.Combine(Site, "wwwroot", "photos", "broken.jpg"));
        File.WriteAllText(Path.Combine(Site, "site.csproj"), project.Replace("</Project>", """
              <ItemGroup><ImageVariants Include="wwwroot/photos/*.jpg" Preset="ai-scene" OutputFolder="photos" /></ItemGroup>
            </Project>
            """, StringComparison.Ordinal));
        var overSources = Publish();
        Assert.NotEqual(0, overSources.Code);
        Assert.Contains("error BI0026", overSources.Output, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(Path.Combine(Site, "wwwroot", "photos", "broken.jpg")));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void LinesPlantedInTheWrittenListPublishNothingAndCleanDeletesNothingOutsideTheOutputs()
    {
        CreateSite();
        Assert.Equal(0, Publish().Code);
        var key = Path.Combine(_dir, "id_ed25519");
        File.WriteAllText(key, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        var list = Path.Combine(Site, "obj", "Release", "net10.0", "buildimages", "written.txt");
        var real = File.ReadAllLines(list).Length;
        File.AppendAllLines(list, [key + "|wwwroot/og/key.webp", Path.Combine(Site, "Program.cs"), Path.Combine(Site, "wwwroot", "og", "..", "..", "site.csproj")]);

        var again = Publish();

        Assert.True(again.Code == 0, again.Output);
        Assert.Contains("Skipping target \"BuildImagesRender\"", again.Output, StringComparison.Ordinal);
        foreach (var line in new[] { real + 1, real + 2, real + 3 })
        {
            Assert.True(again.Output.Contains($"written.txt({line}): warning BI0031", StringComparison.Ordinal), again.Output);
        }
        Assert.False(File.Exists(Path.Combine(Site, "pub", "wwwroot", "og", "key.webp")));
        Assert.Empty(Directory.GetFiles(Path.Combine(Site, "pub"), "id_ed25519", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(Site, "pub", "wwwroot", "og", "hello.webp")), "the real outputs are still published");

        var clean = Dotnet.Run(Site, "clean", "-c", "Release", "--nologo");
        Assert.True(clean.Code == 0, clean.Output);
        Assert.True(File.Exists(key), "clean deleted a file outside the project");
        Assert.True(File.Exists(Path.Combine(Site, "Program.cs")));
        Assert.True(File.Exists(Path.Combine(Site, "site.csproj")));
        Assert.False(File.Exists(Path.Combine(Site, "wwwroot", "og", "hello.webp")), "clean still removes the real outputs");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ATemplateOutsideTheProjectIsAnInputOfTheTarget()
    {
        CreateSite();
        var shared = Path.Combine(_dir, "shared-templates", "post");
        Directory.CreateDirectory(shared);
        foreach (var file in Directory.GetFiles(Path.Combine(Packages.RepoRoot, "templates", "blog-post")))
        {
            File.Copy(file, Path.Combine(shared, Path.GetFileName(file)));
        }
        File.WriteAllText(Path.Combine(Site, "buildimages.json"), File.ReadAllText(Path.Combine(Site, "buildimages.json")).Replace("\"tpl/post\"", "\"../shared-templates/post\"", StringComparison.Ordinal));
        Assert.Equal(0, Publish().Code);
        Assert.Contains("Skipping target \"BuildImagesRender\"", Publish().Output, StringComparison.Ordinal);

        File.AppendAllText(Path.Combine(shared, "card.sbn"), "\n{{ # edited outside the project }}\n");
        var edited = Publish();

        Assert.True(edited.Code == 0, edited.Output);
        Assert.Contains("BuildImages: rendered 4, skipped 0", edited.Output, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void HashedFileNamesArePublishedToo()
    {
        CreateSite();
        File.WriteAllText(Path.Combine(Site, "buildimages.json"), File.ReadAllText(Path.Combine(Site, "buildimages.json")).Replace("\"baseUrl\"", "\"cacheBust\": \"filename\", \"baseUrl\"", StringComparison.Ordinal));

        var publish = Publish();

        Assert.True(publish.Code == 0, publish.Output);
        var published = Directory.GetFiles(Path.Combine(Site, "pub", "wwwroot", "og")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(4, published.Length);
        Assert.All(published, f => Assert.Matches(@"^(hello|second)(-600)?\.[0-9a-f]{10}\.(webp|jpg)$", f));
    }

    /// <summary>The 1-based line and column where <paramref name="text"/> first appears in a file's content.</summary>
    private static (int Line, int Column) Position(string content, string text)
    {
        var at = content.IndexOf(text, StringComparison.Ordinal);
        var before = content[..at];
        return (before.Count(c => c == '\n') + 1, at - (before.LastIndexOf('\n') + 1) + 1);
    }

    private static string Meta(string html, string attribute, string name)
    {
        var m = System.Text.RegularExpressions.Regex.Match(html, $"<meta {attribute}=\"{System.Text.RegularExpressions.Regex.Escape(name)}\" content=\"([^\"]*)\">");
        Assert.True(m.Success, $"no {name} in the page");
        return System.Net.WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    private (int Code, string Output) Publish(params string[] extra) => Dotnet.Run(Site, ["publish", "-c", "Release", "-o", "pub", "--nologo", "-v:n", .. extra]);

    [Fact]
    [Trait("Category", "Slow")]
    public void ShardPublishesFillTheCacheAndAnAssemblingPublishOnACleanCheckoutFetchesEveryCard()
    {
        using var cache = new BuildImages.TestSupport.Nginx((dir, port) =>
        {
            Directory.CreateDirectory(Path.Combine(dir, "cache"));
            return $$"""
                server { listen 127.0.0.1:{{port}};
                  location /cache/ { root {{dir}}; dav_methods PUT; create_full_put_path on; dav_access user:rw group:rw all:rw; client_max_body_size 64m; } }
                """;
        });
        CreateSite();
        foreach (var name in new[] { "third", "fourth", "fifth", "sixth" })
        {
            Write($"content/{name}.md", $"---\ntitle: The {name} post\n---\nBody.\n");
        }
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Site, "buildimages.json")))!.AsObject();
        config["cache"] = new System.Text.Json.Nodes.JsonObject { ["url"] = $"http://127.0.0.1:{cache.Port}/cache" };
        File.WriteAllText(Path.Combine(Site, "buildimages.json"), config.ToJsonString());
        static int Count(string output, string what) =>
            System.Text.RegularExpressions.Regex.Match(output, $@"BuildImages: \d+ files, (?:.*?(\d+) {what})?") is { Success: true } m && m.Groups[1].Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

        var wrong = Publish("-p:BuildImagesShard=3/2");
        Assert.NotEqual(0, wrong.Code);
        Assert.Contains("a shard is k/n", wrong.Output, StringComparison.Ordinal);

        // Two shards on one machine, one after the other: the second is another part, so its render is not skipped.
        var one = Publish("-p:BuildImagesShard=1/2");
        var two = Publish("-p:BuildImagesShard=2/2");
        Assert.True(one.Code == 0, one.Output);
        Assert.True(two.Code == 0, two.Output);
        Assert.True(Count(one.Output, "rendered") > 0 && Count(two.Output, "rendered") > 0, one.Output + two.Output);
        Assert.Equal(12, Count(one.Output, "rendered") + Count(two.Output, "rendered"));

        // A clean checkout assembles the site from the cache alone.
        foreach (var folder in new[] { "obj", "bin", "pub", Path.Combine("wwwroot", "og") })
        {
            Directory.Delete(Path.Combine(Site, folder), recursive: true);
        }
        File.Delete(Path.Combine(Site, "wwwroot", "images.json"));
        var assemble = Publish("-p:BuildImagesRequireCached=true");
        Assert.True(assemble.Code == 0, assemble.Output);
        Assert.Equal((0, 12), (Count(assemble.Output, "rendered"), Count(assemble.Output, "fetched")));
        Assert.Equal(12, Directory.GetFiles(Path.Combine(Site, "pub", "wwwroot", "og")).Length);
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(Site, "pub", "wwwroot", "images.json")));
        Assert.Equal(6, metadata.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void PublishRendersTheCardsSkipsWhenNothingChangedAndRerendersOnlyAnEditedPost()
    {
        CreateSite();

        var first = Publish();

        Assert.True(first.Code == 0, first.Output);
        Assert.Contains("BuildImages: rendered 4, skipped 0", first.Output, StringComparison.Ordinal);
        var card = Path.Combine(Site, "pub", "wwwroot", "og", "hello.webp");
        var (_, width, height) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(card));
        Assert.Equal((1200, 630), (width, height));
        Assert.True(File.Exists(Path.Combine(Site, "pub", "wwwroot", "og", "second-600.jpg")));
        using (var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(Site, "pub", "wwwroot", "images.json"))))
        {
            Assert.Equal(2, metadata.RootElement.GetProperty("items").GetArrayLength());
        }
        Assert.True(File.Exists(Path.Combine(Site, "obj", "Release", "net10.0", "buildimages", "manifest.json")), "the manifest lives in the intermediate folder");

        var second = Publish();
        Assert.True(second.Code == 0, second.Output);
        Assert.Contains("Skipping target \"BuildImagesRender\"", second.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(card), "a skipped render still publishes the cards");

        Write("content/hello.md", "---\ntitle: Hello, edited\n---\nBody.\n");
        var third = Publish();
        Assert.True(third.Code == 0, third.Output);
        Assert.Contains("BuildImages: rendered 2, skipped 2", third.Output, StringComparison.Ordinal);

        // The template is the project's own copy: editing it renders every card made with it.
        File.AppendAllText(Path.Combine(Site, "tpl", "post", "card.sbn"), "\n{{ # edited }}\n");
        var fourth = Publish();
        Assert.True(fourth.Code == 0, fourth.Output);
        Assert.Contains("BuildImages: rendered 4, skipped 0", fourth.Output, StringComparison.Ordinal);

        var clean = Dotnet.Run(Site, "clean", "-c", "Release", "--nologo");
        Assert.True(clean.Code == 0, clean.Output);
        Assert.False(File.Exists(Path.Combine(Site, "wwwroot", "og", "hello.webp")), "clean removes the outputs");
        Assert.False(File.Exists(Path.Combine(Site, "wwwroot", "images.json")));
        Assert.False(Directory.Exists(Path.Combine(Site, "obj", "Release", "net10.0", "buildimages")), "clean removes the manifest");
        Assert.True(File.Exists(Path.Combine(Site, "content", "hello.md")));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ADatabaseManifestIsReadAndSavedInsideMSBuild()
    {
        CreateSite();
        var manifest = Path.Combine(Site, "obj", "cards.db");
        long Rows()
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={manifest};Pooling=False;Mode=ReadOnly");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM records";
            return (long)command.ExecuteScalar()!;
        }

        // SQLite's native library loaded in MSBuild's task load context, as Skia's and libvips' are.
        var first = Publish($"-p:BuildImagesManifest={manifest}");

        Assert.True(first.Code == 0, first.Output);
        Assert.Contains("BuildImages: rendered 4, skipped 0", first.Output, StringComparison.Ordinal);
        Assert.Equal(2, Rows());
        Assert.False(File.Exists(Path.Combine(Site, "pub", "wwwroot", "cards.db")), "the manifest is never published");

        Write("content/hello.md", "---\ntitle: Hello, edited\n---\nBody.\n");
        var second = Publish($"-p:BuildImagesManifest={manifest}");
        Assert.True(second.Code == 0, second.Output);
        Assert.Contains("BuildImages: rendered 2, skipped 2", second.Output, StringComparison.Ordinal);
        Assert.Equal(2, Rows());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TwoPublishesInOneReusedBuildNodeBothSeeTheCurrentInputs()
    {
        CreateSite();
        try
        {
            var first = Dotnet.Run(Site, "publish", "-c", "Release", "-o", "pub", "--nologo", "-v:n", "-nodeReuse:true", "-p:UseSharedCompilation=false");
            Assert.True(first.Code == 0, first.Output);
            Write("content/second.md", "---\ntitle: The second post, edited in between\n---\nBody.\n");
            var second = Dotnet.Run(Site, "publish", "-c", "Release", "-o", "pub", "--nologo", "-v:n", "-nodeReuse:true", "-p:UseSharedCompilation=false");
            Assert.True(second.Code == 0, second.Output);
            Assert.Contains("BuildImages: rendered 2, skipped 2", second.Output, StringComparison.Ordinal);
        }
        finally
        {
            Dotnet.Run(Site, "build-server", "shutdown");
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void APublishWhileAnotherBuildHoldsTheOutputFolderFailsClearlyAndCorruptsNothing()
    {
        CreateSite();
        Assert.Equal(0, Publish().Code);
        var manifest = File.ReadAllText(Path.Combine(Site, "obj", "Release", "net10.0", "buildimages", "manifest.json"));
        Write("content/third.md", "---\ntitle: Third\n---\n");
        using (Core.Output.OutputFolderLock.Acquire(Path.Combine(Site, "wwwroot"), TimeSpan.FromSeconds(1)))
        {
            // The task waits for the holder; with nothing releasing it, the publish is cancelled by its own timeout here.
            var blocked = Dotnet.Run(Site, ["publish", "-c", "Release", "-o", "pub", "--nologo", "-p:BuildImagesLockTimeoutSeconds=2"]);
            Assert.NotEqual(0, blocked.Code);
            Assert.Contains("error BI0035", blocked.Output, StringComparison.Ordinal);
        }
        Assert.Equal(manifest, File.ReadAllText(Path.Combine(Site, "obj", "Release", "net10.0", "buildimages", "manifest.json")));
        var after = Publish();
        Assert.True(after.Code == 0, after.Output);
        Assert.Contains("BuildImages: rendered 2, skipped 4", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ABrokenTemplateFailsThePublishWithALocatedErrorAndDisabledRendersNothing()
    {
        CreateSite();
        Write("tpl/bad/card.sbn", "<card>\n  {{ if title }\n</card>");
        File.WriteAllText(Path.Combine(Site, "buildimages.json"), File.ReadAllText(Path.Combine(Site, "buildimages.json")).Replace("\"tpl/post\"", "\"tpl/bad\"", StringComparison.Ordinal));

        var broken = Publish();

        Assert.NotEqual(0, broken.Code);
        Assert.Matches(@"tpl[/\\]bad[/\\]card\.sbn\(2,\d+\): error BI0100: template syntax error", broken.Output);

        var disabled = Publish("-p:BuildImagesEnabled=false");
        Assert.True(disabled.Code == 0, disabled.Output);
        Assert.False(Directory.Exists(Path.Combine(Site, "wwwroot", "og")));
    }
}
