using System.Text.Json.Nodes;
using BuildImages.Core.Manifest;

namespace BuildImages.Tool.Tests;

/// <summary><c>manifest export</c>: a database manifest written as the JSON document and back, with the records unchanged; damage left out with a warning; the manifest itself never the target.</summary>
public sealed class ManifestCommandTests : IDisposable
{
    private readonly ToolRun _tool = new();

    public void Dispose() => _tool.Dispose();

    private string Database => _tool.PathOf("wwwroot/.buildimages-manifest.db");

    private void BuildWithDatabase()
    {
        Assert.Equal(0, _tool.Run("init", "--template", "blog-post").Exit);
        var config = JsonNode.Parse(File.ReadAllText(_tool.PathOf("buildimages.json")))!.AsObject();
        config["manifest"] = "wwwroot/.buildimages-manifest.db";
        File.WriteAllText(_tool.PathOf("buildimages.json"), config.ToJsonString());
        Assert.Equal(0, _tool.Run("build").Exit);
        Assert.True(File.Exists(Database));
        Assert.False(File.Exists(_tool.PathOf("wwwroot/.buildimages-manifest.json")));
    }

    private static string Records(string file)
    {
        var (document, warnings) = new ManifestStore(file).Load();
        Assert.Empty(warnings);
        return System.Text.Json.JsonSerializer.Serialize(document.Cards.OrderBy(c => c.Key, StringComparer.Ordinal).ToList()) + System.Text.Json.JsonSerializer.Serialize(document.Inputs);
    }

    [Fact]
    public void ADatabaseExportsAsTheJsonDocumentAndBackWithTheSameRecords()
    {
        BuildWithDatabase();
        var (count, _) = new ManifestStore(Database).Load();

        var exported = _tool.Run("manifest", "export", "manifest.json");

        Assert.Equal(0, exported.Exit);
        Assert.Equal($"wrote {count.Cards.Count} records of {Database} to {_tool.PathOf("manifest.json")}\n", exported.Out.ReplaceLineEndings("\n"));
        Assert.Empty(exported.Err);
        var json = JsonNode.Parse(File.ReadAllText(_tool.PathOf("manifest.json")))!.AsObject();
        Assert.Equal("buildimages-manifest", (string?)json["format"]);
        Assert.Equal(count.Cards.Count, json["cards"]!.AsObject().Count);
        Assert.Equal(Records(Database), Records(_tool.PathOf("manifest.json")));

        // And the document back as a database: a site moving between the formats keeps every record.
        File.Move(Database, _tool.PathOf("old.db"));
        File.Copy(_tool.PathOf("manifest.json"), _tool.PathOf("wwwroot/.buildimages-manifest.json"));
        var back = _tool.Run("manifest", "export", "back.db");
        Assert.Equal(0, back.Exit);
        Assert.Equal(Records(_tool.PathOf("old.db")), Records(_tool.PathOf("back.db")));
        // The export reads the document it imports, and removes nothing: only a build's save does.
        Assert.True(File.Exists(_tool.PathOf("wwwroot/.buildimages-manifest.json")));
    }

    [Fact]
    public void ADamagedRecordIsLeftOutWithAWarningAndTheManifestIsNeverTheTarget()
    {
        BuildWithDatabase();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE records SET record = CAST('{}' AS BLOB) WHERE key = (SELECT min(key) FROM records) RETURNING key";
            var damaged = (string)command.ExecuteScalar()!;

            var exported = _tool.Run("manifest", "export", "manifest.json");

            Assert.Equal(0, exported.Exit);
            Assert.Contains($"warning BI0031: manifest record '{damaged}' ignored", exported.Err, StringComparison.Ordinal);
            Assert.DoesNotContain(damaged, File.ReadAllText(_tool.PathOf("manifest.json")), StringComparison.Ordinal);
        }

        var before = File.ReadAllBytes(Database);
        var refused = _tool.Run("manifest", "export", "wwwroot/.buildimages-manifest.db");
        Assert.Equal(2, refused.Exit);
        Assert.Contains("error BI0002: the export would replace the manifest it reads", refused.Err, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Database));
    }
}
