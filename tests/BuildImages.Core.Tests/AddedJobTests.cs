using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests;

/// <summary>
/// Jobs a front gives as configuration values (the MSBuild package's items) go through the loader's own checks, and
/// every mistake in one is reported at the place its value was written, in whatever file that is; the JSON file's own
/// values keep their positions beside them.
/// </summary>
public sealed class AddedJobTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-added-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Project => Path.Combine(_dir, "site.csproj");

    private SourceLocation At(int line, int column) => new(Project, line, column);

    private static KeyValuePair<string, ConfigValue> P(string name, ConfigValue value) => KeyValuePair.Create(name, value);

    /// <summary>A cards job as the MSBuild package writes one: every value typeless text at its own place.</summary>
    private ConfigValue Job(string name = "posts", string template = "blog-post", string quality = "80", string width = "300", string size = "300x158") =>
        ConfigValue.Object(
        [
            P("name", ConfigValue.Text(name, At(3, 5))),
            P("template", ConfigValue.Text(template, At(4, 20))),
            P("data", ConfigValue.Text("posts.json", At(3, 5))),
            P("output", ConfigValue.Text("og/{{ slug }}", At(3, 5))),
            P("size", ConfigValue.Text(size, At(5, 20))),
            P("variants", ConfigValue.List([ConfigValue.Object(
            [
                P("format", ConfigValue.Text("png", At(6, 20))),
                P("width", ConfigValue.Text(width, At(7, 20))),
                P("quality", ConfigValue.Text(quality, At(8, 20))),
            ], At(6, 20))], At(6, 20))),
        ], At(3, 5));

    private BuildConfig Alone(ConfigValue job)
    {
        File.WriteAllText(Path.Combine(_dir, "posts.json"), """[ { "slug": "hello", "title": "Hello" } ]""");
        return ConfigLoader.Read(ConfigValue.Object([P("outputDir", ConfigValue.Text("out", At(0, 0))), P("jobs", ConfigValue.List([job], At(0, 0)))], At(0, 0)), Project);
    }

    [Fact]
    public void TypelessTextReadsAsTheNumberOrSizeTheConfigurationWants()
    {
        var config = Alone(Job());

        var job = Assert.Single(config.Jobs);
        Assert.Equal((300, 158), (job.Size!.Value.Width, job.Size.Value.Height));
        var variant = Assert.Single(job.Variants);
        Assert.Equal((300, 80), (variant.Width, variant.Quality));
        Assert.Equal(Path.Combine(_dir, "out"), config.OutputDirectory);
        Assert.Equal(At(6, 20), variant.Location);
        Assert.Equal(At(4, 20), job.TemplateLocation);
    }

    [Theory]
    [InlineData("quality", "200", 8, "'quality' must be between 1 and 100, not 200")]
    [InlineData("quality", "eighty", 8, "'quality' must be a whole number, not 'eighty'")]
    [InlineData("width", "3e2", 7, "'width' must be a whole number, not '3e2'")]
    [InlineData("size", "300 by 158", 5, "'size' must look like \"1200x630\"")]
    public void AMistakeIsAtThePlaceItsValueWasWritten(string field, string value, int line, string message)
    {
        var job = field switch
        {
            "quality" => Job(quality: value),
            "width" => Job(width: value),
            _ => Job(size: value),
        };

        var ex = Assert.Throws<ConfigurationException>(() => Alone(job));

        Assert.Equal((Project, line, 20), (ex.Diagnostic.File, ex.Diagnostic.Line, ex.Diagnostic.Column));
        Assert.StartsWith(message, ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AJobAddedToAConfigFileIsCheckedWithItAndEachMistakeKeepsItsOwnFile()
    {
        var file = Path.Combine(_dir, "buildimages.json");
        File.WriteAllText(file, """
            {
              "outputDir": "out",
              "jobs": [
                { "name": "posts", "template": "blog-post", "data": "posts.json", "output": "a/{{ slug }}" }
              ]
            }
            """);
        File.WriteAllText(Path.Combine(_dir, "posts.json"), """[ { "slug": "hello", "title": "Hello" } ]""");

        // The added job takes a name the file's job has: the error is on the added job's name, in the project file.
        var twice = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(file, addedJobs: [Job()]));
        Assert.Equal((Project, 3, 5), (twice.Diagnostic.File, twice.Diagnostic.Line, twice.Diagnostic.Column));
        Assert.Contains("two jobs are named 'posts'", twice.Diagnostic.Message, StringComparison.Ordinal);

        var config = ConfigLoader.Load(file, addedJobs: [Job(name: "more")]);
        Assert.Equal(["posts", "more"], config.Jobs.Select(j => j.Name));
        Assert.Equal((file, 4, 5), (config.Jobs[0].Location.File, config.Jobs[0].Location.Line, config.Jobs[0].Location.Column));
        Assert.Equal(Project, config.Jobs[1].Location.File);
        Assert.NotEqual(ConfigLoader.Load(file).ContentHash, config.ContentHash);
    }

    [Fact]
    public void ATemplateTheBuildCannotFindIsAtTheTemplateValue()
    {
        var config = Alone(Job(template: "blog-pots"));

        var ex = Assert.ThrowsAny<BuildInputException>(() => new BatchBuilder(config).Run());

        Assert.Equal(("BI0106", Project, 4, 20), (ex.Diagnostic.Code, ex.Diagnostic.File, ex.Diagnostic.Line, ex.Diagnostic.Column));
        Assert.Contains("did you mean 'blog-post'", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out", "og")), "nothing is rendered");
    }

    [Fact]
    public void TheHashFollowsTheValuesNotThePlaces()
    {
        var one = Alone(Job()).ContentHash;
        var movedName = P("name", ConfigValue.Text("posts", At(30, 1)));
        var moved = Alone(ConfigValue.Object(Properties(Job()).Skip(1).Prepend(movedName), At(30, 1))).ContentHash;
        var changed = Alone(Job(quality: "81")).ContentHash;

        Assert.Equal(one, moved);
        Assert.NotEqual(one, changed);
    }

    private static IEnumerable<KeyValuePair<string, ConfigValue>> Properties(ConfigValue job) =>
        new[] { "name", "template", "data", "output", "size", "variants" }.Select(n => KeyValuePair.Create(n, job.Property(n)!));
}
