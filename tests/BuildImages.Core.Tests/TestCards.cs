using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;
using BuildImages.Core.Pixels;
using BuildImages.Core.Configuration;

namespace BuildImages.Core.Tests;

/// <summary>A temp folder with templates and assets, and an engine over it plus the repository's built-in templates.</summary>
public sealed class TestCards : IDisposable
{
    public TestCards(bool strict = false)
    {
        Root = Directory.CreateTempSubdirectory("bi-test-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, "templates"));
        Directory.CreateDirectory(Path.Combine(Root, "assets"));
        Strict = strict;
    }

    public string Root { get; }
    public bool Strict { get; }
    public string Assets => Path.Combine(Root, "assets");

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BuildImages.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("repository root not found");
        }
    }

    /// <summary>Writes templates/NAME/card.sbn (and more files by relative path) and returns the template name.</summary>
    public string Template(string name, string cardHbs, params (string Path, string Text)[] extra)
    {
        var dir = Path.Combine(Root, "templates", name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "card.sbn"), cardHbs);
        foreach (var (path, text) in extra)
        {
            var full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        return name;
    }

    public CardEngine Engine(TimeSpan? timeLimit = null, IReadOnlyList<string>? fonts = null) => new(new EngineOptions
    {
        TemplateRoots = [Path.Combine(Root, "templates"), Path.Combine(RepoRoot, "templates")],
        AssetRoots = [Assets],
        FontFolders = fonts ?? [],
        Strict = Strict,
        Templates = new TemplateOptions { TimeLimit = timeLimit ?? TimeSpan.FromSeconds(2) },
    });

    /// <summary>Renders a one-off markup template (a text template around item fields) at 1x.</summary>
    public RenderedCard Render(string markup, Dictionary<string, object?>? item = null, int width = 600, int height = 300)
    {
        var name = Template("t" + Guid.NewGuid().ToString("N")[..8], markup);
        using var engine = Engine();
        using var renderer = engine.CreateRenderer();
        return renderer.Render(name, item ?? [], new CardSize(width, height));
    }

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
