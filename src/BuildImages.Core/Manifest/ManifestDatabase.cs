using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace BuildImages.Core.Manifest;

/// <summary>
/// The manifest as a SQLite database (a manifest file named <c>.db</c>, <c>.sqlite</c> or <c>.sqlite3</c>): a row per
/// record, keyed <c>job:output</c>, holding the record's JSON with its check exactly as the JSON document would; the
/// input sets a row each; the format and version in a table of their own. A build that changes a few records writes
/// those rows in one transaction, not the whole file (at a million records: under a second, against a minute for the
/// document written whole).
/// </summary>
/// <remarks>
/// A rollback journal, not WAL: one build writes at a time (it holds the output folder's lock), readers (a hook
/// server's lookup) are brief, the database's own file changes at every commit (the up-to-date check stamps it), and
/// no shared-memory file is left beside it or needed on a network drive. Connections are never pooled, so no handle
/// outlives the call that opened it. A database written whole (the first save, or one replacing a file that could not
/// be used) is filled under a temp name and renamed over, as every other file a build writes.
/// </remarks>
internal static class ManifestDatabase
{
    private static readonly string[] Extensions = [".db", ".sqlite", ".sqlite3"];

    /// <summary>Whether a manifest at <paramref name="path"/> is kept as a database (by its extension).</summary>
    internal static bool IsDatabase(string path) => Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The key a row is filed under: <paramref name="key"/> as UTF-8, a lone surrogate (which SQLite's text cannot hold)
    /// as U+FFFD. A row's key is compared with its record's own in this form.
    /// </summary>
    internal static string RowKey(string key) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(key));

    /// <summary>
    /// Reads the database: its format, version and input sets, and each record's key and bytes handed to
    /// <paramref name="record"/> in the rows' stored order. Throws <see cref="SqliteException"/> when the file is not
    /// a database or is damaged, and <see cref="JsonException"/> when an input set is not JSON.
    /// </summary>
    internal static (string? Format, int? Version, Dictionary<string, InputSet> Inputs) Read(string path, Action<string, ReadOnlySpan<byte>> record)
    {
        // A rollback journal left beside it is a save cut off (a killed build): only a connection that may write rolls
        // it back, which a read-only one would refuse to read past.
        using var connection = Open(path, File.Exists(path + "-journal") ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadOnly);
        if (!HasTables(connection))
        {
            return (null, null, []);
        }
        string? format = null;
        int? version = null;
        using (var command = Command(connection, "SELECT name, value FROM manifest"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                switch (reader.GetString(0))
                {
                    case "format":
                        format = reader.GetString(1);
                        break;
                    case "version":
                        version = int.TryParse(reader.GetString(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1;
                        break;
                }
            }
        }
        if (format != ManifestDocument.FormatName || version != ManifestDocument.CurrentVersion)
        {
            // Another format's rows are not read: the caller ignores the whole file.
            return (format, version, []);
        }
        var inputs = new Dictionary<string, InputSet>(StringComparer.Ordinal);
        using (var command = Command(connection, "SELECT id, input_set FROM inputs"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                // A set that is JSON null is dropped with its warning (DropUnsafeInputs); one that is not JSON at all makes
                // the whole file unreadable, as it does in a document.
                inputs[reader.GetString(0)] = JsonSerializer.Deserialize(reader.GetString(1), ManifestJsonContext.Default.InputSet)!;
            }
        }
        using (var command = Command(connection, "SELECT key, record FROM records"))
        using (var reader = command.ExecuteReader())
        {
            var buffer = new byte[1 << 12];
            while (reader.Read())
            {
                var length = (int)reader.GetBytes(1, 0, null, 0, 0);
                if (buffer.Length < length)
                {
                    buffer = new byte[Math.Max(length, buffer.Length * 2)];
                }
                reader.GetBytes(1, 0, buffer, 0, length);
                record(reader.GetString(0), buffer.AsSpan(0, length));
            }
        }
        return (format, version, inputs);
    }

    /// <summary>
    /// Writes a new database with <paramref name="inputs"/> and every record of <paramref name="records"/> (key and
    /// sealed JSON), under a temp name renamed over <paramref name="path"/>. Throws <see cref="IOException"/> for
    /// anything SQLite refuses.
    /// </summary>
    internal static void WriteWhole(string path, IReadOnlyDictionary<string, InputSet> inputs, IEnumerable<(string Key, byte[]? SealedJson)> records)
    {
        // A journal left by a cut-off save of a database no longer there (deleted by hand), or of the file being
        // replaced, would be played back into the new one by the next reader (SQLite does not tie a journal to its
        // database): it goes first. Cut off after that, the old file is left without its journal, and is replaced
        // again as unusable or new.
        File.Delete(path + "-journal");
        Primitives.AtomicFile.WriteByName(path, temp => Translated(() =>
        {
            using var connection = Open(temp, SqliteOpenMode.ReadWriteCreate);
            // A file no one else can see yet: no journal, no flush per step; it is flushed once, whole, before the rename.
            Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
            using var transaction = connection.BeginTransaction();
            Execute(connection, """
                CREATE TABLE manifest(name TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE inputs(id TEXT PRIMARY KEY, input_set TEXT NOT NULL);
                CREATE TABLE records(key TEXT PRIMARY KEY, record BLOB NOT NULL);
                """, transaction);
            WriteHeader(connection, transaction, inputs);
            using var insert = Command(connection, "INSERT OR REPLACE INTO records(key, record) VALUES($key, $record)", transaction);
            var (key, record) = (insert.Parameters.Add("$key", SqliteType.Text), insert.Parameters.Add("$record", SqliteType.Blob));
            foreach (var (k, sealedJson) in records)
            {
                if (sealedJson is null)
                {
                    continue;
                }
                key.Value = RowKey(k);
                record.Value = sealedJson;
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }));
    }

    /// <summary>
    /// Changes the database at <paramref name="path"/> in one transaction: each of <paramref name="changes"/> is set (its
    /// sealed JSON) or removed (null), and the input sets are replaced by <paramref name="inputs"/>. Throws
    /// <see cref="IOException"/> for anything SQLite refuses; the file is then as it was.
    /// </summary>
    internal static void WriteChanges(string path, IReadOnlyDictionary<string, InputSet> inputs, IEnumerable<(string Key, byte[]? SealedJson)> changes) => Translated(() =>
    {
        using var connection = Open(path, SqliteOpenMode.ReadWrite);
        // The rollback journal flushed at commit: the manifest names only outputs on disk for good (they were committed
        // before), and a crash mid-save leaves the rows as they were.
        Execute(connection, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;");
        using var transaction = connection.BeginTransaction();
        Execute(connection, "DELETE FROM inputs; DELETE FROM manifest;", transaction);
        WriteHeader(connection, transaction, inputs);
        using var upsert = Command(connection, "INSERT INTO records(key, record) VALUES($key, $record) ON CONFLICT(key) DO UPDATE SET record = excluded.record", transaction);
        var (key, record) = (upsert.Parameters.Add("$key", SqliteType.Text), upsert.Parameters.Add("$record", SqliteType.Blob));
        using var delete = Command(connection, "DELETE FROM records WHERE key = $key", transaction);
        var deleted = delete.Parameters.Add("$key", SqliteType.Text);
        foreach (var (k, sealedJson) in changes)
        {
            if (sealedJson is null)
            {
                deleted.Value = RowKey(k);
                delete.ExecuteNonQuery();
                continue;
            }
            key.Value = RowKey(k);
            record.Value = sealedJson;
            upsert.ExecuteNonQuery();
        }
        transaction.Commit();
    });

    private static void WriteHeader(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyDictionary<string, InputSet> inputs)
    {
        using (var header = Command(connection, "INSERT INTO manifest(name, value) VALUES('format', $format), ('version', $version)", transaction))
        {
            header.Parameters.AddWithValue("$format", ManifestDocument.FormatName);
            header.Parameters.AddWithValue("$version", ManifestDocument.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            header.ExecuteNonQuery();
        }
        using var insert = Command(connection, "INSERT INTO inputs(id, input_set) VALUES($id, $set)", transaction);
        var (id, set) = (insert.Parameters.Add("$id", SqliteType.Text), insert.Parameters.Add("$set", SqliteType.Text));
        foreach (var (name, value) in inputs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            id.Value = name;
            set.Value = JsonSerializer.Serialize(value, ManifestJsonContext.Default.InputSet);
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>Whether the database has the manifest's tables (an empty file, which SQLite opens as an empty database, has none).</summary>
    private static bool HasTables(SqliteConnection connection)
    {
        using var command = Command(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('manifest', 'inputs', 'records')");
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 3;
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            // Each call's handle closed when it ends: nothing holds the file between builds, or between a save and the stamp taken of it.
            Pooling = false,
            // A reader and a saving build wait for each other this long, not forever.
            DefaultTimeout = 60,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = Command(connection, sql, transaction);
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="write"/>, a refusal by SQLite (disk full, read-only, locked) given as the I/O error it is, which a build reports and recovers from like any other write's.</summary>
    private static void Translated(Action write)
    {
        try
        {
            write();
        }
        catch (SqliteException ex)
        {
            throw new IOException($"the manifest database could not be written: {ex.Message}", ex);
        }
    }
}
