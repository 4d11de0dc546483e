using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests;

/// <summary>Malformed configuration: every error names the file, line and column, and nothing is written.</summary>
public sealed class ConfigErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Job =
        """
        {
          "outputDir": "site",
          "jobs": [
            {
              "name": "blog",
              "template": "blog-post",
              "data": [ { "slug": "a", "title": "A" } ],
              "output": "OUTPUT",
              "alt": "ALT",
              "variants": [ { "format": "png", "width": 300 } ],
              "size": "300x158"
            }
          ]
        }
        """;

    private BuildInputException Fails(string json, bool build = false)
    {
        var file = Path.Combine(_dir, "buildimages.json");
        File.WriteAllText(file, json);
        var ex = Assert.ThrowsAny<BuildInputException>(() =>
        {
            var config = ConfigLoader.Load(file);
            if (build)
            {
                new BatchBuilder(config).Run();
            }
        });
        Assert.Equal(file, ex.Diagnostic.File);
        Assert.False(Directory.Exists(Path.Combine(_dir, "site")), "nothing may be written");
        return ex;
    }

    [Fact]
    public void ASyntaxErrorIsAtItsLineAndColumn()
    {
        var ex = Fails("{\n  \"outputDir\": \"site\",\n  \"jobs\": [ }\n}");
        Assert.Equal(("BI0001", 3, 13), (ex.Diagnostic.Code, ex.Diagnostic.Line, ex.Diagnostic.Column));
    }

    [Fact]
    public void AnUnknownPropertyIsAtItsNameWithTheNearestAllowedName()
    {
        var ex = Fails(Job.Replace("\"output\": \"OUTPUT\"", "\"outptu\": \"og/{{ slug }}\"", StringComparison.Ordinal).Replace("\"ALT\"", "\"{{ title }}\"", StringComparison.Ordinal));
        Assert.Equal((8, 7), (ex.Diagnostic.Line, ex.Diagnostic.Column));
        Assert.Contains("did you mean 'output'?", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("og/{{ if slug }}x", "{{ title }}", "output", 8)]
    [InlineData("og/{{ slug }}", "{{ for t in tags }}", "alt", 9)]
    [InlineData("og/{{slug", "{{ title }}", "output", 8)]
    public void ABrokenPatternIsAnErrorAtItsValueBeforeAnyDataIsRead(string output, string alt, string property, int line)
    {
        var ex = Fails(Job.Replace("OUTPUT", output, StringComparison.Ordinal).Replace("ALT", alt, StringComparison.Ordinal), build: true);
        Assert.Equal("BI0022", ex.Diagnostic.Code);
        Assert.Equal((line, 17 - "output".Length + property.Length), (ex.Diagnostic.Line, ex.Diagnostic.Column));
        Assert.StartsWith($"'{property}' is not a valid pattern", ex.Diagnostic.Message, StringComparison.Ordinal);
    }
}
