using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BuildImages.Tasks.Tests;

/// <summary>
/// Brand-new web projects from the SDK's templates (Blazor with static rendering, Razor Pages, a minimal API with
/// MapStaticAssets) reference the packed BuildImages and BuildImages.AspNetCore packages, put a card's tags in a post
/// page's head, and are published once and run, and run with <c>dotnet run</c>: every og:image a real Open Graph parser
/// (open-graph-scraper, tests/support/og) reads from the page is served (200) and decodes at its declared size. A second
/// publish with nothing changed skips the render.
/// </summary>
public sealed partial class WebProjectTests : IDisposable
{
    private static readonly string[] Posts = ["hello-world", "second-post"];
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-web-").FullName;

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

    [Fact]
    [Trait("Category", "Slow")]
    public Task ABlazorAppServesItsCardsAfterOnePublishAndUnderDotnetRun() => Check("blazor", ["--interactivity", "None"], app =>
    {
        // This app names its cards with an item instead of buildimages.json: Job is the name pages look them up by.
        File.Delete(Path.Combine(app, "buildimages.json"));
        var project = Directory.GetFiles(app, "*.csproj").Single();
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", """
              <ItemGroup>
                <SocialImage Include="content/*.md" Job="posts" Formats="webp;jpeg" />
              </ItemGroup>
            </Project>
            """, StringComparison.Ordinal));
        AddService(app, "builder.Services.AddRazorComponents();");
        File.WriteAllText(Path.Combine(app, "Components", "Pages", "Post.razor"), """
            @page "/posts/{Slug}"
            @using BuildImages.AspNetCore

            <PageTitle>@Slug</PageTitle>
            <HeadContent><SocialImageTags Job="posts" Item="@Slug" /></HeadContent>
            <h1>@Slug</h1>

            @code {
                [Parameter] public string Slug { get; set; } = "";
            }
            """);
    });

    [Fact]
    [Trait("Category", "Slow")]
    public Task ARazorPagesAppServesItsCardsAfterOnePublishAndUnderDotnetRun() => Check("webapp", [], app =>
    {
        AddService(app, "builder.Services.AddRazorPages();");
        File.AppendAllText(Path.Combine(app, "Pages", "_ViewImports.cshtml"), "\n@addTagHelper *, BuildImages.AspNetCore\n");
        var layout = Path.Combine(app, "Pages", "Shared", "_Layout.cshtml");
        File.WriteAllText(layout, File.ReadAllText(layout).Replace("</head>", """
                @if (ViewData["Slug"] is string slug) { <social-image job="posts" item="@slug" /> }
            </head>
            """, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(app, "Pages", "Post.cshtml"), """
            @page "/posts/{slug}"
            @{ ViewData["Slug"] = RouteData.Values["slug"]; ViewData["Title"] = RouteData.Values["slug"]; }
            <h1>@ViewData["Slug"]</h1>
            """);
    });

    [Fact]
    [Trait("Category", "Slow")]
    public Task AMinimalApiWithMapStaticAssetsServesItsCardsAfterOnePublishAndUnderDotnetRun() => Check("web", [], app =>
    {
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using BuildImages.AspNetCore;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddBuildImages();
            var app = builder.Build();
            app.MapStaticAssets();
            app.MapGet("/posts/{slug}", (string slug, ImageCatalogSource images, HttpRequest request) =>
                images.Current.Find("posts", slug) is { } card
                    ? Results.Content($"<!doctype html><html><head><title>{slug}</title>\n{SocialMarkup.TagsHtml(SocialMarkup.Tags(card, $"{request.Scheme}://{request.Host}/"))}\n</head><body>{slug}</body></html>", "text/html")
                    : Results.NotFound());
            app.Run();
            """);
    });

    /// <summary>A project from <paramref name="template"/>, changed by <paramref name="adapt"/> to show each post's card, checked published and under dotnet run.</summary>
    private async Task Check(string template, string[] options, Action<string> adapt)
    {
        var app = Path.Combine(_dir, "app");
        var (newCode, newOutput) = Dotnet.Run(_dir, ["new", template, "-o", app, "--no-restore", .. options]);
        Assert.True(newCode == 0, newOutput);
        var version = Packages.Version;
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""<configuration><packageSources><add key="local" value="{Packages.Folder}" /></packageSources></configuration>""");
        var project = Directory.GetFiles(app, "*.csproj").Single();
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", $"""
              <ItemGroup>
                <PackageReference Include="BuildImages" Version="{version}" />
                <PackageReference Include="BuildImages.AspNetCore" Version="{version}" />
              </ItemGroup>
            </Project>
            """, StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(app, "content"));
        File.WriteAllText(Path.Combine(app, "content", "hello-world.md"), "---\ntitle: Hello from a brand-new app\n---\nThe first post's body.\n");
        File.WriteAllText(Path.Combine(app, "content", "second-post.md"), "---\ntitle: The second post\ndescription: Served as a static web asset\n---\nBody.\n");
        // No baseUrl: the pages make the card URLs absolute from the request.
        File.WriteAllText(Path.Combine(app, "buildimages.json"), """
            { "outputDir": "wwwroot",
              "jobs": [ { "name": "posts", "template": "blog-post", "data": "content/*.md", "output": "og/{{ slug }}",
                          "variants": [ { "format": "webp" }, { "format": "jpeg" } ] } ] }
            """);
        adapt(app);

        var publish = Dotnet.Run(app, ["publish", "-c", "Release", "-o", "pub", "--nologo"]);
        Assert.True(publish.Code == 0, publish.Output);
        Assert.Contains("BuildImages: 4 files, 4 rendered, 0 current", publish.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(app, "wwwroot", "og")), "nothing is rendered into the source tree");
        using (var published = new StreamedProcess(Path.Combine(app, "pub"), new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, Path.GetFileNameWithoutExtension(project) + ".dll", "--urls", "http://127.0.0.1:0"))
        {
            await CardsServed(published);
        }

        var again = Dotnet.Run(app, ["publish", "-c", "Release", "-o", "pub", "--nologo", "-v:n"]);
        Assert.True(again.Code == 0, again.Output);
        Assert.Contains("Skipping target \"BuildImagesRender\"", again.Output, StringComparison.Ordinal);
        Assert.Contains("BuildImages: 4 files, all current", again.Output, StringComparison.Ordinal);

        using (var development = new StreamedProcess(app, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" }, "run", "--no-launch-profile", "--urls", "http://127.0.0.1:0"))
        {
            await CardsServed(development);
        }
    }

    /// <summary>Every post page's og:image, as the Open Graph parser reads it, is served and decodes at its declared size.</summary>
    private static async Task CardsServed(StreamedProcess app)
    {
        app.WaitForLine("Now listening on: http://127.0.0.1:", TimeSpan.FromMinutes(5));
        var origin = Listening().Match(app.Output).Groups[1].Value;
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        foreach (var post in Posts)
        {
            var og = ReadOpenGraph($"{origin}/posts/{post}");
            var image = og.GetProperty("ogImage")[0];
            var url = image.GetProperty("url").GetString()!;
            Assert.StartsWith(origin + "/og/" + post + ".jpg", url, StringComparison.Ordinal);
            Assert.Equal(url, og.GetProperty("twitterImage")[0].GetProperty("url").GetString());
            using var response = await http.GetAsync(url);
            Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode}\n{app.Output}");
            Assert.Equal(image.GetProperty("type").GetString(), response.Content.Headers.ContentType!.MediaType);
            var (_, width, height) = Core.Encoders.VariantEncoder.DecodeRgba(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal((int.Parse(image.GetProperty("width").GetString()!, System.Globalization.CultureInfo.InvariantCulture), int.Parse(image.GetProperty("height").GetString()!, System.Globalization.CultureInfo.InvariantCulture)), (width, height));
        }
    }

    /// <summary>open-graph-scraper's reading of a page (node tests/support/og/read-og.mjs; build/test.sh installs it).</summary>
    private static JsonElement ReadOpenGraph(string url)
    {
        var script = Path.Combine(Packages.RepoRoot, "tests", "support", "og", "read-og.mjs");
        var start = new ProcessStartInfo("node", [script, url]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var node = Process.Start(start)!;
        var error = node.StandardError.ReadToEndAsync();
        var output = node.StandardOutput.ReadToEnd();
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, $"open-graph-scraper could not read {url}: {error.Result}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static void AddService(string app, string after)
    {
        var program = Path.Combine(app, "Program.cs");
        File.WriteAllText(program, File.ReadAllText(program).Replace(after, after + "\nbuilder.Services.AddBuildImages();", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
