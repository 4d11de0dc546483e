using System.Text.Json;
using System.Text.RegularExpressions;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Tests;

/// <summary>
/// The numbered corpus in tests/TemplateCases: each folder holds card.sbn and/or card.liquid (run both where both
/// are there), optional partials/, data.json and options.json (strict, timeZone), and expected.xml (the markup) or
/// expected-error.txt ("CODE file(line,col)", file and position optional). Adding a case is adding files.
/// </summary>
public sealed partial class TemplateCaseTests : IDisposable
{
    private static readonly string Corpus = Path.Combine(TestCards.RepoRoot, "tests", "TemplateCases");
    private readonly string _root = Directory.CreateTempSubdirectory("bi-cases-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var dir in Directory.EnumerateDirectories(Corpus).Order(StringComparer.Ordinal))
        {
            foreach (var main in new[] { "card.sbn", "card.liquid" }.Where(m => File.Exists(Path.Combine(dir, m))))
            {
                data.Add(Path.GetFileName(dir), main);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CaseGivesItsExpectedMarkupOrError(string name, string main)
    {
        var source = Path.Combine(Corpus, name);
        var folder = Path.Combine(_root, "templates", name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative is "card.sbn" or "card.liquid" && relative != main)
            {
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, relative))!);
            File.Copy(file, Path.Combine(folder, relative));
        }
        using var options = JsonDocument.Parse(File.Exists(Path.Combine(source, "options.json")) ? File.ReadAllText(Path.Combine(source, "options.json")) : "{}");
        var strict = options.RootElement.TryGetProperty("strict", out var s) && s.GetBoolean();
        var zone = options.RootElement.TryGetProperty("timeZone", out var z) ? TimeZoneInfo.FindSystemTimeZoneById(z.GetString()!) : TimeZoneInfo.Utc;
        var item = File.Exists(Path.Combine(source, "data.json")) ? ItemData.FromJson(File.ReadAllText(Path.Combine(source, "data.json"))) : [];
        var definition = new TemplateCatalog([Path.Combine(_root, "templates")]).Resolve(name);
        var engine = new ScribanTemplateEngine(new TemplateOptions { Strict = strict, TimeZone = zone });

        var expectedError = Path.Combine(source, "expected-error.txt");
        if (File.Exists(expectedError))
        {
            var ex = Assert.ThrowsAny<BuildInputException>(() => engine.Compile(definition).Evaluate(item, new CardSize(1200, 630)));
            var m = ExpectedError().Match(File.ReadAllText(expectedError).Trim());
            Assert.True(m.Success, "expected-error.txt reads 'CODE file(line,col)'");
            Assert.Equal(m.Groups["code"].Value, ex.Diagnostic.Code);
            var file = m.Groups["file"].Value;
            Assert.EndsWith(file.Length > 0 ? Path.Combine(name, file) : string.Empty, ex.Diagnostic.File ?? string.Empty, StringComparison.Ordinal);
            if (m.Groups["line"].Success)
            {
                Assert.Equal((int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture)), (ex.Diagnostic.Line, ex.Diagnostic.Column));
            }
            return;
        }
        var output = engine.Compile(definition).Evaluate(item, new CardSize(1200, 630));
        if (Environment.GetEnvironmentVariable("BUILDIMAGES_UPDATE_REFERENCES") == "1")
        {
            // As for golden images: write what the case gives, then look at it before committing.
            File.WriteAllText(Path.Combine(source, "expected.xml"), output.Markup);
        }
        Assert.Equal(File.ReadAllText(Path.Combine(source, "expected.xml")), output.Markup);
    }

    [Fact]
    public void ALoneSurrogateFromAnotherFrontIsDrawnAsAReplacementCharacter()
    {
        Directory.CreateDirectory(Path.Combine(_root, "templates", "s"));
        File.WriteAllText(Path.Combine(_root, "templates", "s", "card.sbn"), "<text>{{ title }}</text>");
        var definition = new TemplateCatalog([Path.Combine(_root, "templates")]).Resolve("s");
        var output = new ScribanTemplateEngine(new TemplateOptions()).Compile(definition).Evaluate(new Dictionary<string, object?> { ["title"] = "a\ud800b😀" }, new CardSize(100, 100));
        Assert.Equal("<text>a\ufffdb😀</text>", output.Markup);
    }

    [Fact]
    public void AnIncludeThroughALinkOutsideTheRootsIsRefused()
    {
        var dir = Path.Combine(_root, "templates", "linked");
        Directory.CreateDirectory(Path.Combine(dir, "partials"));
        File.WriteAllText(Path.Combine(_root, "secret.sbn"), "<text>secret</text>");
        File.CreateSymbolicLink(Path.Combine(dir, "partials", "footer.sbn"), Path.Combine(_root, "secret.sbn"));
        File.WriteAllText(Path.Combine(dir, "card.sbn"), "<card>{{ include 'footer' }}</card>");
        var definition = new TemplateCatalog([Path.Combine(_root, "templates")]).Resolve("linked");
        var ex = Assert.ThrowsAny<BuildInputException>(() => new ScribanTemplateEngine(new TemplateOptions()).Compile(definition).Evaluate(new Dictionary<string, object?>(), new CardSize(100, 100)));
        Assert.Equal(("BI0102", 1, 10), (ex.Diagnostic.Code, ex.Diagnostic.Line, ex.Diagnostic.Column));
        Assert.Contains("links outside", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("card.sbn", "{{ if first }}{{ leaked = 'yes' }}{{ end }}<t>{{ leaked }}</t>")]
    [InlineData("card.liquid", "{% if first %}{% assign leaked = 'yes' %}{% endif %}<t>{{ leaked }}</t>")]
    public void AVariableOneItemSetsIsNotSeenByTheNext(string main, string source)
    {
        var dir = Path.Combine(_root, "templates", "leak");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, main), source);
        var template = new ScribanTemplateEngine(new TemplateOptions()).Compile(new TemplateCatalog([Path.Combine(_root, "templates")]).Resolve("leak"));

        Assert.Equal("<t>yes</t>", template.Evaluate(new Dictionary<string, object?> { ["first"] = true }, new CardSize(100, 100)).Markup);
        Assert.Equal("<t></t>", template.Evaluate(new Dictionary<string, object?> { ["first"] = false }, new CardSize(100, 100)).Markup);
    }

    [Theory]
    [InlineData("{{ math.leaked = 'yes' }}")]
    [InlineData("{{ string.upcase = 1 }}")]
    public void BuiltInsCannotBeWrittenByATemplate(string source)
    {
        var dir = Path.Combine(_root, "templates", "write");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "card.sbn"), "<card>\n" + source + "</card>");
        var template = new ScribanTemplateEngine(new TemplateOptions()).Compile(new TemplateCatalog([Path.Combine(_root, "templates")]).Resolve("write"));

        var ex = Assert.ThrowsAny<BuildInputException>(() => template.Evaluate(new Dictionary<string, object?>(), new CardSize(100, 100)));

        Assert.Equal(("BI0100", 2), (ex.Diagnostic.Code, ex.Diagnostic.Line));
    }

    [Fact]
    public void EveryFileAnEvaluationReadIsListed()
    {
        var dir = Path.Combine(_root, "templates", "inc");
        Directory.CreateDirectory(Path.Combine(dir, "partials"));
        File.WriteAllText(Path.Combine(dir, "card.sbn"), "<card>{{ if flag }}{{ include 'a' }}{{ end }}</card>");
        File.WriteAllText(Path.Combine(dir, "partials", "a.sbn"), "{{ include 'b' }}");
        File.WriteAllText(Path.Combine(dir, "partials", "b.sbn"), "<text>b</text>");
        var template = new ScribanTemplateEngine(new TemplateOptions()).Compile(new TemplateCatalog([Path.Combine(_root, "templates")]).Resolve("inc"));
        var with = template.Evaluate(new Dictionary<string, object?> { ["flag"] = true }, new CardSize(100, 100));
        var without = template.Evaluate(new Dictionary<string, object?> { ["flag"] = false }, new CardSize(100, 100));
        Assert.Equal(["card.sbn", "a.sbn", "b.sbn"], with.SourceFiles.Select(Path.GetFileName));
        Assert.Equal(["card.sbn"], without.SourceFiles.Select(Path.GetFileName));
    }

    [GeneratedRegex(@"^(?<code>BI\d{4})(\s+(?<file>[^(\s]*)(\((?<line>\d+),(?<col>\d+)\))?)?$")]
    private static partial Regex ExpectedError();
}
