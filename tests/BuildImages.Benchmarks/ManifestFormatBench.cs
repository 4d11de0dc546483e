using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BuildImages.Core.Manifest;
using Microsoft.Data.Sqlite;

namespace BuildImages.Benchmarks;

/// <summary>
/// The manifest's format at a million records: today's JSON document against SQLite (Microsoft.Data.Sqlite), on
/// records shaped like the batch bench's (4 variants, 8 fields). Each step runs in its own process so its peak memory
/// is its own: <c>--manifest-format STEP N DIR</c> with STEP one of
/// <c>json-write</c> (save N records), <c>json-load</c> (load the document whole, as a build does now),
/// <c>json-update</c> (load, change 1%, save whole), <c>sqlite-write</c> (insert N in one transaction),
/// <c>sqlite-scan</c> (read every record in key order, one at a time: a streaming check),
/// <c>sqlite-lookup</c> (every key looked up in random order), <c>sqlite-update</c> (change 1% in one transaction).
/// </summary>
internal static class ManifestFormatBench
{
    internal static int Run(string[] args, TextWriter o)
    {
        var step = args[0];
        var count = int.Parse(args[1], CultureInfo.InvariantCulture);
        var dir = args[2];
        Directory.CreateDirectory(dir);
        var json = Path.Combine(dir, "manifest.json");
        var db = Path.Combine(dir, "manifest.db");
        var clock = Stopwatch.StartNew();
        var detail = step switch
        {
            "json-write" => JsonWrite(json, count),
            "json-load" => JsonLoad(json),
            "json-update" => JsonUpdate(json, count),
            "sqlite-write" => SqliteWrite(db, count),
            "sqlite-scan" => SqliteScan(db),
            "sqlite-lookup" => SqliteLookup(db, count),
            "sqlite-update" => SqliteUpdate(db, count),
            _ => throw new ArgumentException("step: json-write, json-load, json-update, sqlite-write, sqlite-scan, sqlite-lookup, sqlite-update"),
        };
        clock.Stop();
        using var self = Process.GetCurrentProcess();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{step} {count:N0}: {clock.Elapsed.TotalSeconds:0.00} s; peak RSS {self.PeakWorkingSet64 / 1048576.0:0} MiB; {detail}"));
        return 0;
    }

    private static ItemRecord Record(int i, int generation = 0)
    {
        string Hex(int salt) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(((long)i << 20) ^ (salt + (generation * 1000)))));
        var slug = string.Create(CultureInfo.InvariantCulture, $"post-{i:D7}");
        return new ItemRecord
        {
            Job = "blog",
            Item = slug,
            Source = "posts.json",
            Output = "og/" + slug,
            Template = "blog-post",
            Size = "1200x630",
            PreKey = Hex(1)[..32],
            Fields = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["slug"] = Hex(2)[..16], ["title"] = Hex(3)[..16], ["description"] = Hex(4)[..16], ["author"] = Hex(5)[..16],
                ["date"] = Hex(6)[..16], ["tags"] = Hex(7)[..16], ["logo"] = Hex(8)[..16], ["site"] = Hex(9)[..16],
            },
            Inputs = BenchSet.Hash()[..16],
            Variants = [.. new[] { ("webp", 1200, ""), ("webp", 600, "-600"), ("jpeg", 1200, ""), ("jpeg", 600, "-600") }.Select((v, n) => new VariantRecord
            {
                Path = $"og/{slug}{v.Item3}.{(v.Item1 == "jpeg" ? "jpg" : v.Item1)}",
                File = $"og/{slug}{v.Item3}.{(v.Item1 == "jpeg" ? "jpg" : v.Item1)}",
                Key = Hex(10 + n),
                Options = $"{v.Item1};w={v.Item2};q=80",
                Width = v.Item2,
                Height = v.Item2 * 630 / 1200,
                Mime = "image/" + v.Item1,
                Bytes = 20000 + (i % 5000),
                Sha256 = Hex(20 + n),
                Quality = 80,
            })],
        };
    }

    private static readonly InputSet BenchSet = new() { Engine = "bench", Templates = new() { ["t"] = "h" }, Fonts = new(), Assets = new() };

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"blog:og/post-{i:D7}");

    private static void SaveJson(string file, IReadOnlyList<string> keys, Func<int, ItemRecord> record)
    {
        var inputs = new Dictionary<string, InputSet>(StringComparer.Ordinal) { [BenchSet.Hash()[..16]] = BenchSet };
        // Sealed as a build writes them (RecordCheck), so a load pays for checking them; BI_BENCH_UNSEALED=1 writes
        // them as builds did before the check, for the comparison.
        var sealedRecords = Environment.GetEnvironmentVariable("BI_BENCH_UNSEALED") != "1";
        var index = 0;
        new ManifestStore(file).Save(inputs, w =>
        {
            foreach (var key in keys)
            {
                w.WritePropertyName(key);
                var r = record(index++);
                JsonSerializer.Serialize(w, sealedRecords ? RecordCheck.Sealed(r) : r, ManifestJsonContext.Default.ItemRecord);
            }
        });
    }

    private static string JsonWrite(string file, int count)
    {
        SaveJson(file, [.. Enumerable.Range(0, count).Select(Key)], i => Record(i));
        return string.Create(CultureInfo.InvariantCulture, $"{new FileInfo(file).Length / 1048576.0:0} MiB file");
    }

    private static string JsonLoad(string file)
    {
        var (document, _) = new ManifestStore(file).Load();
        var held = GC.GetTotalMemory(forceFullCollection: true);
        return string.Create(CultureInfo.InvariantCulture, $"{document.Cards.Count:N0} records held, managed heap {held / 1048576.0:0} MiB");
    }

    private static string JsonUpdate(string file, int count)
    {
        var (document, _) = new ManifestStore(file).Load();
        for (var i = 0; i < count; i += 100)
        {
            document.Cards[Key(i)] = Record(i, generation: 1);
        }
        var keys = document.Cards.Keys.Order(StringComparer.Ordinal).ToList();
        var index = 0;
        SaveJson(file, keys, _ => document.Cards[keys[index++]]);
        return string.Create(CultureInfo.InvariantCulture, $"{count / 100:N0} records changed, the whole file written again");
    }

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        using var pragma = connection.CreateCommand();
        // WAL: readers never block on the writer; NORMAL sync: durable at checkpoints, which is what "durability is batched" asks.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private static string SqliteWrite(string file, int count)
    {
        foreach (var f in new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists))
        {
            File.Delete(f);
        }
        using var connection = Open(file);
        using (var create = connection.CreateCommand())
        {
            // A rowid table: records of ~1.6 KB would overflow the pages of a WITHOUT ROWID table (2.7 times the file, slower).
            create.CommandText = "CREATE TABLE records (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, record BLOB NOT NULL)";
            create.ExecuteNonQuery();
        }
        Upsert(connection, Enumerable.Range(0, count).Select(i => (Key(i), Record(i))));
        return string.Create(CultureInfo.InvariantCulture, $"{new FileInfo(file).Length / 1048576.0:0} MiB file");
    }

    private static void Upsert(SqliteConnection connection, IEnumerable<(string Key, ItemRecord Record)> records)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO records (key, record) VALUES ($key, $record) ON CONFLICT(key) DO UPDATE SET record = excluded.record";
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var value = insert.Parameters.Add("$record", SqliteType.Blob);
        insert.Prepare();
        foreach (var (k, record) in records)
        {
            key.Value = k;
            value.Value = JsonSerializer.SerializeToUtf8Bytes(record, ManifestJsonContext.Default.ItemRecord);
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static string SqliteScan(string file)
    {
        using var connection = Open(file);
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT key, record FROM records ORDER BY key";
        using var reader = select.ExecuteReader();
        long variants = 0;
        var rows = 0;
        while (reader.Read())
        {
            using var blob = reader.GetStream(1);
            var record = JsonSerializer.Deserialize(blob, ManifestJsonContext.Default.ItemRecord)!;
            variants += record.Variants.Count;
            rows++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{rows:N0} records read one at a time ({variants:N0} variants), managed heap {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:0} MiB");
    }

    private static string SqliteLookup(string file, int count)
    {
        using var connection = Open(file);
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT record FROM records WHERE key = $key";
        var key = select.Parameters.Add("$key", SqliteType.Text);
        select.Prepare();
        var order = Enumerable.Range(0, count).ToArray();
        new Random(7).Shuffle(order);
        var found = 0;
        foreach (var i in order)
        {
            key.Value = Key(i);
            if (select.ExecuteScalar() is byte[] bytes && JsonSerializer.Deserialize(bytes, ManifestJsonContext.Default.ItemRecord) is not null)
            {
                found++;
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"{found:N0} found in random order");
    }

    private static string SqliteUpdate(string file, int count)
    {
        using var connection = Open(file);
        Upsert(connection, Enumerable.Range(0, count / 100).Select(n => (Key(n * 100), Record(n * 100, generation: 1))));
        return string.Create(CultureInfo.InvariantCulture, $"{count / 100:N0} records changed in one transaction");
    }
}
