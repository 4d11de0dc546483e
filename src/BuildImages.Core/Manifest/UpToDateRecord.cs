using System.Text;
using Microsoft.Win32.SafeHandles;
using BuildImages.Core.Primitives;


namespace BuildImages.Core.Manifest;

/// <summary>
/// Machine-local proof that the last complete build is still current, beside the manifest
/// (<c>.buildimages-manifest.uptodate</c>): a fingerprint of everything that decided its plan, a print of its data
/// globs' file lists and the folders they were read from, the stamp and hash of every file it read, the manifest's and
/// images.json's stamps, and every output with its size and time.
/// When all of that still holds, a build has nothing to do and reports from this record alone, without reading
/// data, templates or the manifest. Binary, because it is read on the path that must take well under a second
/// at 10,000 items; losing or corrupting it costs one ordinary build.
/// </summary>
internal sealed class UpToDateRecord
{
    private const string Magic = "buildimages-uptodate";
    private const int FormatVersion = 3;

    /// <summary>Everything but the file lists that decided the plan, with the engine.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The print of the data globs' and photo folders' file lists (<see cref="Build.PlanListing"/>).</summary>
    public required string ListedPrint { get; init; }

    /// <summary>
    /// The folders the file lists were read from, by key path, each with the hash of its entries then; null when they
    /// prove nothing (<see cref="Data.FolderListings.Complete"/>), and the lists must be globbed again.
    /// </summary>
    public required IReadOnlyDictionary<string, UInt128>? Folders { get; init; }

    /// <summary>The manifest file's size and time after the build that wrote this record.</summary>
    public required string ManifestStamp { get; init; }

    /// <summary>The configuration hash and images.json's size and time, as the stat cache keeps them.</summary>
    public required string MetadataStamp { get; init; }

    public required NativeRecord Native { get; init; }

    /// <summary>Data files and every template, font and asset file the outputs were made from, by key path.</summary>
    public required IReadOnlyCollection<(string Key, FileRecord File)> Files { get; init; }

    /// <summary>Every output of the build, ordered by path.</summary>
    public required IReadOnlyCollection<UpToDateOutput> Outputs { get; init; }

    public static string PathFor(string manifestFile) => Path.ChangeExtension(manifestFile, ".uptodate");

    /// <summary>
    /// The record, or null when there is none or it cannot be read (then the build checks everything). Its files and
    /// outputs are read from the file as they are enumerated (<see cref="RecordedFiles"/>, <see cref="RecordedOutputs"/>):
    /// their keys and paths are checked then.
    /// </summary>
    public static UpToDateRecord? Load(string file)
    {
        SafeFileHandle? handle = null;
        try
        {
            // Deletable while open: a later build may replace the record while a report still reads this one.
            handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            // Not a FileStream: disposing one would close the handle the outputs are read through.
            using var stream = new BufferedStream(new HandleStream(handle, 0), 1 << 16);
            var r = new BinaryReader(stream, Encoding.UTF8);
            if (r.ReadString() != Magic || r.ReadInt32() != FormatVersion)
            {
                handle.Dispose();
                return null;
            }
            var fingerprint = r.ReadString();
            var listedPrint = r.ReadString();
            var folders = ReadFolders(r, RandomAccess.GetLength(handle) - stream.Position);
            var manifestStamp = r.ReadString();
            var metadataStamp = r.ReadString();
            var native = new NativeRecord(r.ReadString(), r.ReadString());
            // Each file takes at least 18 bytes (three one-byte lengths, two numbers): a count or length the rest of the
            // file cannot hold is damage.
            var fileCount = r.ReadInt32();
            var filesLength = r.ReadInt64();
            var filesStart = stream.Position;
            if (fileCount < 0 || filesLength < 0 || filesLength > RandomAccess.GetLength(handle) - filesStart || fileCount > filesLength / 18)
            {
                handle.Dispose();
                return null;
            }
            stream.Position = filesStart + filesLength;
            var files = new RecordedFiles(handle, filesStart, filesLength, fileCount);
            var count = r.ReadInt32();
            // Checked like the manifest: it may come from elsewhere (a CI cache), and a planted key would make the fast
            // path list any folder; then it is no proof of anything. (File keys are checked as they are read.)
            if (count < 0 || folders?.Keys.All(Planning.KeyPaths.IsCanonicalKey) == false)
            {
                handle.Dispose();
                return null;
            }
            var outputs = new RecordedOutputs(handle, stream.Position, count, Magic);
            return new UpToDateRecord { Fingerprint = fingerprint, ListedPrint = listedPrint, Folders = folders, ManifestStamp = manifestStamp, MetadataStamp = metadataStamp, Native = native, Files = files, Outputs = outputs };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EndOfStreamException or FormatException or OverflowException or ArgumentException)
        {
            handle?.Dispose();
            return null;
        }
    }

    /// <summary>Writes the record (outputs streamed from <see cref="Outputs"/>, which may be another record's file).</summary>
    public void Save(string file) => BuildImages.Core.Primitives.AtomicFile.Write(file, stream =>
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(Fingerprint);
        w.Write(ListedPrint);
        WriteFolders(w, Folders);
        w.Write(ManifestStamp);
        w.Write(MetadataStamp);
        w.Write(Native.Stamp);
        w.Write(Native.Versions);
        RecordedFiles.Write(w, Files);
        w.Write(Outputs.Count);
        RecordedOutputs.Write(w, Outputs);
        w.Write(Magic);
    });

    /// <summary>The folders, or null when none prove anything (a count of -1); throws on a count the rest of the file cannot hold (each takes at least 17 bytes).</summary>
    private static Dictionary<string, UInt128>? ReadFolders(BinaryReader r, long left)
    {
        var count = r.ReadInt32();
        if (count < -1 || count > left / 17)
        {
            throw new FormatException("the up-to-date record's folder count is damaged");
        }
        if (count < 0)
        {
            return null;
        }
        var folders = new Dictionary<string, UInt128>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            folders[r.ReadString()] = new UInt128(r.ReadUInt64(), r.ReadUInt64());
        }
        return folders;
    }

    private static void WriteFolders(BinaryWriter w, IReadOnlyDictionary<string, UInt128>? folders)
    {
        w.Write(folders is null ? -1 : folders.Count);
        if (folders is null)
        {
            return;
        }
        foreach (var (key, entries) in folders.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            w.Write(key);
            w.Write((ulong)(entries >> 64));
            w.Write((ulong)entries);
        }
    }

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
}

/// <summary>One output as the last build left it: what the report says of it, and the size and time that prove it unchanged.</summary>
internal sealed record UpToDateOutput(string Path, string File, string Item, int Width, int Height, string Mime, long Bytes, string Key, long ModifiedTicks)
{
    // A build that planned makes one for every output at its end, when its memory peaks: the key as its 32 bytes.
    private readonly Primitives.CompactKey _key = Primitives.CompactKey.From(Key);

    public string Key
    {
        get => _key.Text!;
        init => _key = Primitives.CompactKey.From(value);
    }
}
