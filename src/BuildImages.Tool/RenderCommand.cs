using System.Text.Json;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Encoding;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;

namespace BuildImages.Tool;

/// <summary><c>render</c>: every item of a data file, at each size, to files; prints the written files as JSON.</summary>
internal static class RenderCommand
{
    private const string Help =
        """
        dotnet build-images render --template NAME|PATH --data FILE|- [options]

          --template T      built-in template name (blog-post, …), a template folder or an .hbs file
          --data FILE       JSON object or array of objects; '-' reads stdin
          --size WxH        card size (repeatable; default: the template's sizes, else 1200x630)
          --out DIR         output folder (default: out)
          --format F        webp | jpeg | png (default: png)
          --width N         pixel width of the output (default: the card width)
          --quality Q       1-100 (default: 80 for webp, 82 for jpeg)
          --assets DIR      asset root for images (repeatable; default: the data file's folder)
          --fonts DIR       project font folder (repeatable)
          --strict          missing variables and uncovered characters are errors

        Exit codes: 0 all written, 1 some items failed (the rest are written), 2 usage or data error.
        Example:
          dotnet build-images render --template blog-post --data samples/blog-post/posts.json --out out/cards
        """;

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        RenderArguments parsed;
        try
        {
            parsed = RenderArguments.Parse(args);
        }
        catch (ArgumentException ex)
        {
            stderr.WriteLine($"buildimages: error BI0002: {ex.Message}");
            stderr.WriteLine(Help);
            return 2;
        }
        if (parsed.ShowHelp)
        {
            stdout.WriteLine(Help);
            return 0;
        }
        List<Dictionary<string, object?>> items;
        try
        {
            items = LoadItems(parsed.Data);
        }
        catch (JsonException ex)
        {
            stderr.WriteLine($"{parsed.Data}({(ex.LineNumber ?? 0) + 1},{(ex.BytePositionInLine ?? 0) + 1}): error BI0003: data is not valid JSON: {ex.Message.Split(" Path:")[0]}");
            return 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            stderr.WriteLine($"{parsed.Data}: error BI0003: {ex.Message}");
            return 2;
        }
        var builtIn = EngineOptions.BuiltInTemplateFolder();
        var dataDir = parsed.Data == "-" ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(parsed.Data))!;
        var options = new EngineOptions
        {
            TemplateRoots = builtIn is null ? [] : [builtIn],
            AssetRoots = parsed.Assets.Count > 0 ? parsed.Assets : [dataDir, Path.Combine(dataDir, "assets")],
            FontFolders = parsed.Fonts,
            Strict = parsed.Strict,
        };
        try
        {
            using var engine = new CardEngine(options);
            var template = engine.Templates.Resolve(parsed.Template);
            var sizes = parsed.Sizes.Count > 0 ? parsed.Sizes : template.Sizes.Count > 0 ? template.Sizes : [new CardSize(1200, 630)];
            using var renderer = engine.CreateRenderer();
            Directory.CreateDirectory(parsed.Out);
            var written = new List<object>();
            var failed = 0;
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var name = item.TryGetValue("slug", out var slug) && slug is string s && s.Length > 0 ? Slug.Make(s) : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                foreach (var size in sizes)
                {
                    try
                    {
                        using var prepared = renderer.Prepare(template, item, size, name);
                        foreach (var w in prepared.Warnings)
                        {
                            stderr.WriteLine(w);
                        }
                        var card = prepared.DrawAtWidth(parsed.Width ?? size.Width);
                        var encode = new EncodeOptions(parsed.Format, parsed.Quality ?? (parsed.Format == ImageFormat.Jpeg ? 82 : 80));
                        var bytes = VariantEncoder.Encode(card, encode);
                        var path = Path.Combine(parsed.Out, $"{name}-{size}{encode.Extension}");
                        AtomicFile.Write(path, bytes);
                        written.Add(new { path, width = card.Width, height = card.Height, bytes = bytes.Length, mime = encode.MimeType });
                    }
                    catch (CardException ex)
                    {
                        failed++;
                        stderr.WriteLine(ex.Diagnostic);
                    }
                }
            }
            stdout.WriteLine(JsonSerializer.Serialize(written, new JsonSerializerOptions { WriteIndented = true }));
            return failed > 0 ? 1 : 0;
        }
        catch (CardException ex)
        {
            stderr.WriteLine(ex.Diagnostic);
            return 2;
        }
    }

    private static List<Dictionary<string, object?>> LoadItems(string data)
    {
        var json = data == "-" ? Console.In.ReadToEnd() : File.ReadAllText(data);
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        return doc.RootElement.ValueKind switch
        {
            JsonValueKind.Array => doc.RootElement.EnumerateArray().Select(ItemData.FromJson).ToList(),
            JsonValueKind.Object => [ItemData.FromJson(doc.RootElement)],
            _ => throw new ArgumentException("data must be a JSON object or an array of objects"),
        };
    }
}
