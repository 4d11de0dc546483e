using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BuildImages.AspNetCore.Tests;

/// <summary>The typed images.json reader, the tags and picture it makes, and the Tag Helpers and Blazor components that write them.</summary>
public sealed class CatalogAndMarkupTests : IDisposable
{
    // images.json as BuildImages writes it (format 1): a card with a relative URL (no baseUrl), and a photo.
    private const string ImagesJson = """
        {
          "version": 1, "generator": "BuildImages test",
          "items": [
            { "job": "posts", "item": "hello", "source": "content/hello.md", "output": "og/hello", "alt": "Hello & welcome",
              "variants": [
                { "path": "og/hello.webp", "url": "/og/hello.webp?v=1", "width": 1200, "height": 630, "type": "image/webp", "bytes": 9000, "key": "a" },
                { "path": "og/hello.jpg", "url": "/og/hello.jpg?v=2", "width": 1200, "height": 630, "type": "image/jpeg", "bytes": 20000, "key": "b" }
              ],
              "tagged": "og/hello.jpg" },
            { "job": "photos", "item": "shop/red.jpg", "source": "wwwroot/photos/shop/red.jpg", "output": "img/shop/red",
              "variants": [
                { "path": "img/shop/red-480.avif", "url": "/img/shop/red-480.avif", "width": 480, "height": 360, "type": "image/avif", "bytes": 9, "key": "c" },
                { "path": "img/shop/red-960.avif", "url": "/img/shop/red-960.avif", "width": 960, "height": 720, "type": "image/avif", "bytes": 19, "key": "d" },
                { "path": "img/shop/red-480.jpg", "url": "/img/shop/red-480.jpg", "width": 480, "height": 360, "type": "image/jpeg", "bytes": 29, "key": "e" },
                { "path": "img/shop/red-960.jpg", "url": "/img/shop/red-960.jpg", "width": 960, "height": 720, "type": "image/jpeg", "bytes": 59, "key": "f" }
              ] }
          ]
        }
        """;

    private readonly string _webRoot = Directory.CreateTempSubdirectory("bi-aspnet-").FullName;

    public CatalogAndMarkupTests() => File.WriteAllText(Path.Combine(_webRoot, "images.json"), ImagesJson);

    public void Dispose() => Directory.Delete(_webRoot, recursive: true);

    private ServiceProvider Services(string? baseUrl = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IWebHostEnvironment>(new Environment(_webRoot));
        services.AddLogging();
        services.AddSingleton<NavigationManager>(new FixedNavigation("https://site.example/app/"));
        services.AddBuildImages(o => o.BaseUrl = baseUrl);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void TheCatalogReadsEveryItemWithItsTaggedFile()
    {
        var catalog = ImageCatalog.Parse(new MemoryStream(Encoding.UTF8.GetBytes(ImagesJson)));

        var card = catalog.Find("posts", "hello")!;
        Assert.Equal(2, catalog.Entries.Count);
        Assert.Equal("og/hello.jpg", card.Tagged!.Path);
        Assert.Equal((1200, 630, "image/jpeg"), (card.Tagged.Width, card.Tagged.Height, card.Tagged.Type));
        Assert.Null(catalog.Find("posts", "nope"));
        Assert.Throws<InvalidDataException>(() => ImageCatalog.Parse(new MemoryStream("""{ "version": 9 }"""u8.ToArray())));
    }

    [Fact]
    public void TagsHaveAbsoluteUrlsFromTheBaseAndEncodeTheAltText()
    {
        var entry = ImageCatalog.Parse(new MemoryStream(Encoding.UTF8.GetBytes(ImagesJson))).Find("posts", "hello")!;

        var html = SocialMarkup.TagsHtml(SocialMarkup.Tags(entry, "https://example.com/blog"));

        Assert.Contains("<meta property=\"og:image\" content=\"https://example.com/blog/og/hello.jpg?v=2\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta property=\"og:image:secure_url\" content=\"https://example.com/blog/og/hello.jpg?v=2\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta property=\"og:image:width\" content=\"1200\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta property=\"og:image:alt\" content=\"Hello &amp; welcome\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"twitter:card\" content=\"summary_large_image\">", html, StringComparison.Ordinal);
        Assert.Equal("https://cdn.example/x.jpg", SocialMarkup.Absolute("https://cdn.example/x.jpg", "https://example.com/"));
    }

    [Fact]
    public void APictureHasASourcePerModernTypeAndAnImgWithTheLargestFallback()
    {
        var entry = ImageCatalog.Parse(new MemoryStream(Encoding.UTF8.GetBytes(ImagesJson))).Find("photos", "shop/red.jpg")!;

        var html = SocialMarkup.PictureHtml(entry, "A red bottle", "50vw", "hero");

        Assert.Equal("""
            <picture>
              <source type="image/avif" srcset="/img/shop/red-480.avif 480w, /img/shop/red-960.avif 960w" sizes="50vw">
              <img src="/img/shop/red-960.jpg" srcset="/img/shop/red-480.jpg 480w, /img/shop/red-960.jpg 960w" sizes="50vw" width="960" height="720" alt="A red bottle" loading="lazy" decoding="async" class="hero">
            </picture>
            """.ReplaceLineEndings("\n"), html);
    }

    [Fact]
    public async Task TheTagHelpersWriteTheTagsAndThePictureAndSayWhenAnItemHasNone()
    {
        using var services = Services(baseUrl: "https://example.com/");
        var source = services.GetRequiredService<ImageCatalogSource>();
        var options = services.GetRequiredService<IOptions<BuildImagesOptions>>();

        var tags = await Run(new SocialImageTagHelper(source, options) { Job = "posts", Item = "hello" }, "social-image");
        var missing = await Run(new SocialImageTagHelper(source, options) { Job = "posts", Item = "gone" }, "social-image");
        var picture = await Run(new ResponsivePictureTagHelper(source) { Job = "photos", Item = "shop/red.jpg", Alt = "Red" }, "responsive-picture");

        Assert.Contains("content=\"https://example.com/og/hello.jpg?v=2\"", tags, StringComparison.Ordinal);
        Assert.Equal("<!-- BuildImages: no card for posts/gone -->", missing);
        Assert.StartsWith("<picture>", picture, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBlazorComponentsRenderTheSameTagsWithTheAppsBaseUri()
    {
        await using var services = Services();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);

        var html = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<SocialImageTags>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["Job"] = "posts", ["Item"] = "hello" }))).ToHtmlString());
        var picture = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<ResponsivePicture>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["Job"] = "photos", ["Item"] = "shop/red.jpg", ["Alt"] = "Red" }))).ToHtmlString());

        Assert.Contains("<meta property=\"og:image\" content=\"https://site.example/app/og/hello.jpg?v=2\" />", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"twitter:image:alt\" content=\"Hello &amp; welcome\" />", html, StringComparison.Ordinal);
        Assert.Contains("<source type=\"image/avif\"", picture, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCatalogSourceReadsTheFileAgainWhenItChangesAndIsEmptyWithoutOne()
    {
        using var services = Services();
        var source = services.GetRequiredService<ImageCatalogSource>();
        Assert.NotNull(source.Current.Find("posts", "hello"));

        File.WriteAllText(Path.Combine(_webRoot, "images.json"), """{ "version": 1, "items": [] }""");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (source.Current.Entries.Count != 0 && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            Thread.Sleep(50);
        }
        Assert.Empty(source.Current.Entries);

        File.Delete(Path.Combine(_webRoot, "images.json"));
        using var fresh = Services();
        Assert.Empty(fresh.GetRequiredService<ImageCatalogSource>().Current.Entries);
    }

    private static async Task<string> Run(TagHelper helper, string tag)
    {
        var context = new TagHelperContext([], new Dictionary<object, object>(), Guid.NewGuid().ToString("N"));
        var output = new TagHelperOutput(tag, [], (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent()));
        await helper.ProcessAsync(context, output);
        using var writer = new StringWriter();
        output.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        return writer.ToString();
    }

    private sealed class Environment(string webRoot) : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = webRoot;

        public IFileProvider WebRootFileProvider { get; set; } = new PhysicalFileProvider(webRoot);

        public string ApplicationName { get; set; } = "test";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();

        public string ContentRootPath { get; set; } = webRoot;

        public string EnvironmentName { get; set; } = "Production";
    }

    private sealed class FixedNavigation : NavigationManager
    {
        public FixedNavigation(string baseUri) => Initialize(baseUri, baseUri);
    }
}
