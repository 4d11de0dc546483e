using BuildImages.Core.Build;
using BuildImages.Core.Manifest;
using Microsoft.Data.Sqlite;

namespace BuildImages.Core.Tests;

/// <summary>
/// A manifest named <c>.db</c> is a SQLite database, a row per record: the same records as the JSON document, a changed
/// record written as its row (the file changed in place, not rewritten), damage confined to the row or file it is in,
/// and a site's JSON document imported once.
/// </summary>
public sealed class ManifestDatabaseTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    private string Database => Path.Combine(_site.Site, ".buildimages-manifest.db");

    private void UseDatabase()
    {
        _site.Config["manifest"] = "site/.buildimages-manifest.db";
        _site.Save();
    }

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static Dictionary<string, byte[]> Rows(string file)
    {
        using var connection = Open(file);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, record FROM records";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (reader.Read())
        {
            rows[reader.GetString(0)] = (byte[])reader.GetValue(1);
        }
        return rows;
    }

    private static void Execute(string file, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open(file);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        command.ExecuteNonQuery();
    }

    private static string Serialised(ManifestDocument document) =>
        System.Text.Json.JsonSerializer.Serialize(document.Cards.OrderBy(c => c.Key, StringComparer.Ordinal).ToList()) + System.Text.Json.JsonSerializer.Serialize(document.Inputs);

    [Fact]
    public void AJsonManifestIsImportedOnceAndTheDatabaseHoldsTheSameRecords()
    {
        _site.Build();
        var (document, documentWarnings) = new ManifestStore(_site.ManifestFile).Load();
        Assert.Empty(documentWarnings);
        Assert.Equal(5, document.Cards.Count);

        UseDatabase();
        var report = _site.Build();

        // Nothing rendered: the document's records were taken as they were.
        Assert.Equal(0, report.Rendered);
        Assert.Empty(report.Warnings);
        Assert.False(File.Exists(_site.ManifestFile), "the imported document is removed once the database is saved");
        var (database, warnings) = new ManifestStore(Database).Load();
        Assert.Empty(warnings);
        Assert.Equal(Serialised(document), Serialised(database));
        Assert.Equal(5, Rows(Database).Count);

        // And a build after that reads the database alone, still with nothing to render.
        File.Delete(UpToDateRecord.PathFor(Database));
        Assert.Equal(0, _site.Build().Rendered);
    }

    [Fact]
    public void AnEditWritesItsRowInPlaceAndLeavesTheOthers()
    {
        UseDatabase();
        Assert.Equal(13, _site.Build().Rendered);
        var before = Rows(Database);
        Assert.Equal(5, before.Count);
        // A table of our own: a database written whole (a new file renamed over) would not have it after the build.
        Execute(Database, "CREATE TABLE planted(x)");

        _site.Items[1]["title"] = "Beta, retitled";
        _site.Save();
        var report = _site.Build();

        Assert.Equal(PathsOf("beta"), BuildFixture.Rendered(report));
        using (var connection = Open(Database))
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'planted'";
            Assert.Equal(1L, (long)command.ExecuteScalar()!);
        }
        var after = Rows(Database);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, record) in before)
        {
            Assert.True(key == "cards:og/beta" ? !record.AsSpan().SequenceEqual(after[key]) : record.AsSpan().SequenceEqual(after[key]), key);
        }
        Assert.Empty(new ManifestStore(Database).Load().Warnings);
    }

    [Fact]
    public void ARemovedItemsRowIsDeleted()
    {
        UseDatabase();
        _site.Build();
        _site.Items.RemoveAt(3);
        _site.Save();

        var report = _site.Build();

        Assert.Contains(report.Outputs, o => o.Status == OutputStatus.Pruned && o.Path.StartsWith("og/delta", StringComparison.Ordinal));
        Assert.Equal(["cards:og/alpha", "cards:og/beta", "cards:og/gamma", "notes:notes/note-1"], Rows(Database).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnUnpublishDeletesItsRowInPlace()
    {
        UseDatabase();
        _site.Build();
        Execute(Database, "CREATE TABLE planted(x)");

        var removed = _site.Build(new BuildOptions { RemoveItems = ("cards", ["beta"]) });

        Assert.Equal(1, removed.Unpublished);
        Assert.Equal(["cards:og/alpha", "cards:og/delta", "cards:og/gamma", "notes:notes/note-1"], Rows(Database).Keys.Order(StringComparer.Ordinal));
        using var connection = Open(Database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'planted'";
        Assert.Equal(1L, (long)command.ExecuteScalar()!);
    }

    public static TheoryData<string, string> DamagedRows => new()
    {
        { "UPDATE records SET record = $value WHERE key = 'cards:og/gamma'", "not json" },
        { "UPDATE records SET record = $value WHERE key = 'cards:og/gamma'", "{\"job\":\"cards\"}" },
        // A good record filed under another's key: its own outputs would be pruned as stale.
        { "UPDATE records SET record = (SELECT record FROM records WHERE key = 'cards:og/alpha') WHERE key = 'cards:og/gamma' AND $value = $value", "" },
        // The record's values changed and its check not made again.
        { "UPDATE records SET record = CAST(replace(CAST(record AS TEXT), '\"gamma\"', '\"gammb\"') AS BLOB) WHERE key = 'cards:og/gamma' AND $value = $value", "" },
    };

    [Theory]
    [MemberData(nameof(DamagedRows))]
    public void ADamagedRowIsDroppedWithAWarningAndItsItemRenderedAgain(string sql, string value)
    {
        UseDatabase();
        _site.Build();
        Execute(Database, sql, ("$value", System.Text.Encoding.UTF8.GetBytes(value)));
        var (report, warning) = BuildWithOneManifestWarning();

        Assert.Contains("'cards:og/gamma'", warning.Message, StringComparison.Ordinal);
        Assert.Equal(PathsOf("gamma"), BuildFixture.Rendered(report));
        Assert.DoesNotContain(report.Outputs, o => o.Status == OutputStatus.Pruned);
        // The row is good again, and the others were left as they were.
        Assert.Empty(new ManifestStore(Database).Load().Warnings);
        Assert.Equal(5, Rows(Database).Count);
    }

    [Fact]
    public void ASaveCutOffMidwayIsRolledBackByTheNextBuild()
    {
        UseDatabase();
        _site.Build();
        var committed = File.ReadAllBytes(Database);
        var (crashedDatabase, crashedJournal) = (Path.Combine(_site.Root, "crashed.db"), Path.Combine(_site.Root, "crashed.db-journal"));
        using (var connection = Open(Database))
        {
            using var command = connection.CreateCommand();
            // A cache of one page: the changed pages go to the database file before the commit, their old content in
            // the journal, as a large save's do. The files copied now are what a kill at this moment leaves.
            command.CommandText = "PRAGMA cache_size = 1; BEGIN; UPDATE records SET record = CAST('garbage' AS BLOB); DELETE FROM inputs;";
            command.ExecuteNonQuery();
            File.Copy(Database, crashedDatabase);
            File.Copy(Database + "-journal", crashedJournal);
            command.CommandText = "ROLLBACK";
            command.ExecuteNonQuery();
        }
        Assert.False(committed.AsSpan().SequenceEqual(File.ReadAllBytes(crashedDatabase)), "the cut-off save had changed the database file");
        File.Copy(crashedDatabase, Database, overwrite: true);
        File.Copy(crashedJournal, Database + "-journal");
        File.Delete(UpToDateRecord.PathFor(Database));

        var report = _site.Build();

        Assert.Empty(report.Warnings);
        Assert.Equal(0, report.Rendered);
        Assert.False(File.Exists(Database + "-journal"), "the journal was played back and removed");
        Assert.Equal(5, Rows(Database).Count);
        Assert.Empty(new ManifestStore(Database).Load().Warnings);
    }

    [Fact]
    public void ADatabaseWrittenWholeNeverInheritsAnOldJournal()
    {
        UseDatabase();
        _site.Build();
        // The database deleted by hand, the journal of a cut-off save left beside it: the build writes a new database,
        // and that journal must not be played back into it by the next reader.
        using (var connection = Open(Database))
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA cache_size = 1; BEGIN; UPDATE records SET record = CAST('garbage' AS BLOB);";
            command.ExecuteNonQuery();
            File.Copy(Database + "-journal", Path.Combine(_site.Root, "old-journal"));
            command.CommandText = "ROLLBACK";
            command.ExecuteNonQuery();
        }
        File.Delete(Database);
        File.Copy(Path.Combine(_site.Root, "old-journal"), Database + "-journal");

        var first = _site.Build();

        Assert.Empty(first.Warnings);
        Assert.False(File.Exists(Database + "-journal"));
        var (database, warnings) = new ManifestStore(Database).Load();
        Assert.Empty(warnings);
        Assert.Equal(5, database.Cards.Count);
        File.Delete(UpToDateRecord.PathFor(Database));
        Assert.Equal(0, _site.Build().Rendered);
    }

    public static TheoryData<string> DamagedFiles => new() { "garbage", "empty", "truncated", "other-version" };

    [Theory]
    [MemberData(nameof(DamagedFiles))]
    public void AFileThatIsNotAUsableDatabaseIsIgnoredWithAWarningAndReplaced(string damage)
    {
        UseDatabase();
        _site.Build();
        switch (damage)
        {
            case "garbage":
                File.WriteAllText(Database, "this is not a database, but it is long enough to look like a header of one.");
                break;
            case "empty":
                File.WriteAllBytes(Database, []);
                break;
            case "truncated":
                var bytes = File.ReadAllBytes(Database);
                File.WriteAllBytes(Database, bytes[..(bytes.Length / 2)]);
                break;
            case "other-version":
                Execute(Database, "UPDATE manifest SET value = '99' WHERE name = 'version'");
                break;
        }
        var (report, warning) = BuildWithOneManifestWarning();

        Assert.StartsWith("manifest ignored", warning.Message, StringComparison.Ordinal);
        Assert.Empty(report.Errors);
        Assert.Equal(13, report.Rendered);
        var (database, warnings) = new ManifestStore(Database).Load();
        Assert.Empty(warnings);
        Assert.Equal(5, database.Cards.Count);
        Assert.Equal(0, _site.Build().Rendered);
    }

    /// <summary>Builds with the full check (no up-to-date record) and returns the report and its one warning, about the database.</summary>
    private (BuildReport Report, ReportError Warning) BuildWithOneManifestWarning()
    {
        File.Delete(UpToDateRecord.PathFor(Database));
        var report = _site.Build();
        var warning = Assert.Single(report.Warnings);
        Assert.Equal(Diagnostics.DiagnosticCodes.ManifestUnreadable, warning.Code);
        Assert.Equal(Database, warning.File);
        return (report, warning);
    }

    private static string[] PathsOf(string slug) => [.. BuildFixture.PathsOf(slug).Order(StringComparer.Ordinal)];
}
