using System.Text;
using BuildImages.Core.Primitives;


namespace BuildImages.Core.Manifest;

/// <summary>
/// Machine-local proof that the last complete build is still current, beside the manifest
/// (<c>.buildimages-manifest.uptodate</c>): a fingerprint of everything that decided its plan, the stamp and hash
/// of every file it read, the manifest's and images.json's stamps, and every output with its size and time.
/// When all of that still holds, a build has nothing to do and reports from this record alone, without reading
/// data, templates or the manifest. Binary, because it is read on the path that must take well under a second
/// at 10,000 items; losing or corrupting it costs one ordinary build.
/// </summary>
internal sealed class UpToDateRecord
{
    private const string Magic = "buildimages-uptodate";
    private const int FormatVersion = 2;

    public required string Fingerprint { get; init; }

    /// <summary>The manifest file's size and time after the build that wrote this record.</summary>
    public required string ManifestStamp { get; init; }

    /// <summary>The configuration hash and images.json's size and time, as the stat cache keeps them.</summary>
    public required string MetadataStamp { get; init; }

    public required NativeRecord Native { get; init; }

    /// <summary>Data files and every template, font and asset file the outputs were made from, by key path.</summary>
    public required IReadOnlyList<(string Key, FileRecord File)> Files { get; init; }

    /// <summary>Every output of the build, ordered by path.</summary>
    public required IReadOnlyList<UpToDateOutput> Outputs { get; init; }

    public static string PathFor(string manifestFile) => Path.ChangeExtension(manifestFile, ".uptodate");

    /// <summary>The record, or null when there is none or it cannot be read (then the build checks everything).</summary>
    public static UpToDateRecord? Load(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            if (r.ReadString() != Magic || r.ReadInt32() != FormatVersion)
            {
                return null;
            }
            var fingerprint = r.ReadString();
            var manifestStamp = r.ReadString();
            var metadataStamp = r.ReadString();
            var native = new NativeRecord(r.ReadString(), r.ReadString());
            var files = new (string, FileRecord)[r.ReadInt32()];
            for (var i = 0; i < files.Length; i++)
            {
                files[i] = (r.ReadString(), new FileRecord(r.ReadInt64(), r.ReadInt64(), r.ReadString()));
            }
            var outputs = new UpToDateOutput[r.ReadInt32()];
            var item = string.Empty;
            for (var i = 0; i < outputs.Length; i++)
            {
                var path = r.ReadString();
                var written = r.ReadString();
                var named = r.ReadString();
                item = named.Length == 0 ? item : named;
                outputs[i] = new UpToDateOutput(path, written.Length == 0 ? path : written, item, r.ReadInt32(), r.ReadInt32(), Mime(r.ReadString()), r.ReadInt64(), r.ReadString(), r.ReadInt64());
            }
            // Checked like the manifest: it may come from elsewhere (a CI cache), and a planted key would make the fast
            // path stat or hash any file (a device, another user's file); then it is no proof of anything.
            var trusted = files.All(f => Planning.KeyPaths.IsCanonicalKey(f.Item1)) && outputs.All(o => RecordPaths.Problem(o.Path) is null && RecordPaths.Problem(o.File) is null);
            return r.ReadString() == Magic && trusted
                ? new UpToDateRecord { Fingerprint = fingerprint, ManifestStamp = manifestStamp, MetadataStamp = metadataStamp, Native = native, Files = files, Outputs = outputs }
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EndOfStreamException or FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    public void Save(string file) => BuildImages.Core.Primitives.AtomicFile.Write(file, stream =>
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(Fingerprint);
        w.Write(ManifestStamp);
        w.Write(MetadataStamp);
        w.Write(Native.Stamp);
        w.Write(Native.Versions);
        w.Write(Files.Count);
        foreach (var (key, record) in Files)
        {
            w.Write(key);
            w.Write(record.Size);
            w.Write(record.ModifiedTicks);
            w.Write(record.Sha256);
        }
        w.Write(Outputs.Count);
        string? previous = null;
        foreach (var o in Outputs)
        {
            // Empty strings stand for "the path" and "the same item as the output before": a card's outputs sort together.
            w.Write(o.Path);
            w.Write(o.File == o.Path ? string.Empty : o.File);
            w.Write(o.Item == previous ? string.Empty : o.Item);
            previous = o.Item;
            w.Write(o.Width);
            w.Write(o.Height);
            w.Write(o.Mime);
            w.Write(o.Bytes);
            w.Write(o.Key);
            w.Write(o.ModifiedTicks);
        }
        w.Write(Magic);
    });

    /// <summary>Forgets the record (a build that failed, was cancelled or changed the manifest without writing a new one).</summary>
    public static void Delete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A record that cannot be deleted cannot mislead either: the manifest stamp it holds no longer matches.
        }
    }

    /// <summary>One string per MIME type instead of one per output.</summary>
    private static string Mime(string mime) => mime switch
    {
        "image/webp" => "image/webp",
        "image/jpeg" => "image/jpeg",
        "image/png" => "image/png",
        "image/avif" => "image/avif",
        _ => mime,
    };
}

/// <summary>One output as the last build left it: what the report says of it, and the size and time that prove it unchanged.</summary>
internal sealed record UpToDateOutput(string Path, string File, string Item, int Width, int Height, string Mime, long Bytes, string Key, long ModifiedTicks);
