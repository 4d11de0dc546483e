using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>
/// Writes a manifest in the other format: a database as the JSON document (to read or diff it), or a document as a
/// database. The records are read one at a time and kept serialised (<see cref="RecordSpill"/>, beside the target),
/// never all as objects, so a manifest of a million records exports in the memory a build reads it in.
/// </summary>
public static class ManifestExport
{
    /// <summary>
    /// Writes the manifest <paramref name="manifestFile"/> as <paramref name="target"/>: a database when it is named
    /// <c>.db</c>, <c>.sqlite</c> or <c>.sqlite3</c>, else the JSON document; written under a temp name and renamed.
    /// Records that cannot be trusted are left out, each with its warning (as a build would drop them); a manifest
    /// that cannot be used at all is a warning and an empty export. Throws <see cref="ArgumentException"/> when the
    /// target is the manifest itself, and what writing throws.
    /// </summary>
    /// <returns>The records written and the warnings.</returns>
    public static (int Records, IReadOnlyList<Diagnostic> Warnings) Write(string manifestFile, string target)
    {
        if (string.Equals(Path.GetFullPath(manifestFile), Path.GetFullPath(target), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("the export would replace the manifest it reads; name another file", nameof(target));
        }
        using var spill = new RecordSpill(target);
        var records = new RecordTable(spill);
        var (inputs, warnings) = new ManifestStore(manifestFile).StreamSealed(records.Load);
        if (inputs is null)
        {
            records.Clear();
            inputs = [];
        }
        var used = records.InputIds();
        var kept = inputs.Where(s => used.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var store = new ManifestStore(target);
        if (store.IsDatabase)
        {
            store.SaveRecords(kept, records.Serialised(), whole: true);
        }
        else
        {
            store.Save(kept, records.WriteProperties);
        }
        return (records.Count, warnings);
    }
}
