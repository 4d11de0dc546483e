using System.Text.Json;
using System.Text.Json.Nodes;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests;

/// <summary>
/// A throw-away site: buildimages.json, two small templates (one with a partial), a project font, a logo and
/// JSON items. Builds run in-process against it.
/// </summary>
public sealed class BuildFixture : IDisposable
{
    public const string CardTemplate =
        """
        <card width="{{ card.width }}" height="{{ card.height }}" background="#1e293b" color="#ffffff" font-family="{{ default font 'Inter' }}">
          <column width="100%" height="100%" padding="12" gap="6">
            <row gap="8" align="center">
              {{ if logo }}<image src="{{ logo }}" width="24" height="24" fit="contain"/>{{ end }}
              <text font-size="18" font-weight="700" max-lines="2">{{ title }}</text>
            </row>
            {{ include 'footer' }}
          </column>
        </card>
        """;

    public BuildFixture()
    {
        Root = Directory.CreateTempSubdirectory("bi-build-").FullName;
        Write("tpl/mini/card.sbn", CardTemplate);
        Write("tpl/mini/partials/footer.sbn", """<text font-size="12" color="#94a3b8">{{ default site "example.com" }}</text>""");
        Write("tpl/plain/card.sbn", """<card width="{{ card.width }}" height="{{ card.height }}" background="#fef3c7" color="#111827" font-family="Inter"><text x="10" y="10" font-size="20">{{ title }}</text></card>""");
        Directory.CreateDirectory(Path.Combine(Root, "fonts"));
        File.Copy(Path.Combine(TestCards.RepoRoot, "tests", "Fonts", "woff", "pacifico-latin-400-normal.woff"), Path.Combine(Root, "fonts", "pacifico.woff"));
        Write("assets/logo.svg", """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#f59e0b"/></svg>""");
        Items =
        [
            Item("alpha", "Alpha post"),
            Item("beta", "Beta post", logo: "assets/logo.svg"),
            Item("gamma", "Gamma post", font: "Pacifico"),
            Item("delta", "Delta post"),
        ];
        Config = JsonNode.Parse(
            """
            {
              "outputDir": "site",
              "baseUrl": "https://example.com/",
              "fonts": ["fonts"],
              "jobs": [
                {
                  "name": "cards",
                  "template": "tpl/mini",
                  "size": { "width": 240, "height": 126 },
                  "data": "items.json",
                  "output": "og/{{ slug }}",
                  "variants": [
                    { "format": "webp", "width": 240, "quality": 80 },
                    { "format": "webp", "width": 120 },
                    { "format": "jpeg", "width": 240, "quality": 82, "maxBytes": 300000 }
                  ]
                },
                {
                  "name": "notes",
                  "template": "tpl/plain",
                  "size": "200x100",
                  "data": [ { "slug": "note-1", "title": "First note" } ],
                  "output": "notes/{{ slug }}",
                  "variants": [ { "format": "png" } ]
                }
              ]
            }
            """)!.AsObject();
        Save();
    }

    public string Root { get; }

    public List<JsonObject> Items { get; }

    public JsonObject Config { get; }

    public string ConfigFile => Path.Combine(Root, "buildimages.json");

    public string Site => Path.Combine(Root, "site");

    public string ManifestFile => Path.Combine(Site, ".buildimages-manifest.json");

    public static JsonObject Item(string slug, string title, string? logo = null, string? font = null)
    {
        var item = new JsonObject { ["slug"] = slug, ["title"] = title };
        if (logo is not null)
        {
            item["logo"] = logo;
        }
        if (font is not null)
        {
            item["font"] = font;
        }
        return item;
    }

    /// <summary>Adds a job "posts" over Markdown files (PNG at the card width, output posts/{slug}) and saves.</summary>
    public void AddPostsJob(string data, string template = "tpl/plain", string? size = null)
    {
        var job = new JsonObject { ["name"] = "posts", ["template"] = template, ["data"] = data, ["output"] = "posts/{{ slug }}", ["variants"] = new JsonArray(new JsonObject { ["format"] = "png" }) };
        if (size is not null)
        {
            job["size"] = size;
        }
        Config["jobs"]!.AsArray().Add(job);
        Save();
    }

    /// <summary>Writes items.json and buildimages.json from <see cref="Items"/> and <see cref="Config"/>.</summary>
    public void Save()
    {
        Write("items.json", new JsonArray(Items.Select(i => (JsonNode)i.DeepClone()).ToArray()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Write("buildimages.json", Config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public void Write(string relative, byte[] bytes)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }

    public void Write(string relative, string text)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    public BuildReport Build(BuildOptions? options = null, IBuildObserver? observer = null, CancellationToken cancellation = default) =>
        new BatchBuilder(ConfigLoader.Load(ConfigFile), options ?? new BuildOptions { Parallelism = 2 }, observer).Run(cancellation);

    public static IEnumerable<string> Rendered(BuildReport report) =>
        report.Outputs.Where(o => o.Status == OutputStatus.Rendered).Select(o => o.Path).Order(StringComparer.Ordinal);

    public static string? Reason(BuildReport report, string path) => report.Outputs.Single(o => o.Path == path).Reason;

    /// <summary>Edits the stat cache's JSON and writes it with a matching check, as someone poisoning it on purpose would.</summary>
    public static void EditStatCache(string file, Func<string, string> edit)
    {
        var json = ReadChecked(File.ReadAllBytes(file)) ?? throw new InvalidOperationException("the stat cache has no valid check");
        using var stream = File.Create(file);
        var edited = System.Text.Encoding.UTF8.GetBytes(edit(System.Text.Encoding.UTF8.GetString(json)));
        Primitives.CheckedJson.Write(stream, w => w.WriteRawValue(edited, skipInputValidation: true));
    }

    /// <summary>The object in a checked file's bytes without its check, or null when the check is missing or does not match.</summary>
    public static byte[]? ReadChecked(byte[] file)
    {
        using var source = Primitives.CheckedJson.OpenRead(new MemoryStream(file));
        if (source is null)
        {
            return null;
        }
        using var json = new MemoryStream();
        source.CopyTo(json);
        return source.Matches ? json.ToArray() : null;
    }

    public static string[] PathsOf(string slug) => [$"og/{slug}-120.webp", $"og/{slug}.jpg", $"og/{slug}.webp"];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Collects a build's events.</summary>
public sealed class RecordingObserver(Action<OutputOutcome>? onOutput = null) : IBuildObserver
{
    public List<OutputOutcome> Outputs { get; } = [];

    public List<Diagnostic> Diagnostics { get; } = [];

    public void Planned(int outputs, int toRender)
    {
    }

    public void Output(OutputOutcome outcome)
    {
        lock (Outputs)
        {
            Outputs.Add(outcome);
        }
        onOutput?.Invoke(outcome);
    }

    public List<string> Messages { get; } = [];

    public void Diagnostic(Diagnostic diagnostic)
    {
        lock (Diagnostics)
        {
            Diagnostics.Add(diagnostic);
        }
    }

    public void Message(string text)
    {
        lock (Messages)
        {
            Messages.Add(text);
        }
    }
}
