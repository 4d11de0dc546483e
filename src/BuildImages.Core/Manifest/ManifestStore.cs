using System.Text.Json;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Output;

namespace BuildImages.Core.Manifest;

/// <summary>Reads and atomically writes the manifest. An unreadable manifest is a warning and an empty manifest.</summary>
public sealed class ManifestStore(string path)
{
    public string Path => path;

    public (ManifestDocument Document, Diagnostic? Warning) Load()
    {
        if (!File.Exists(path))
        {
            return (new ManifestDocument(), null);
        }
        try
        {
            using var stream = File.OpenRead(path);
            var document = JsonSerializer.Deserialize(stream, ManifestJsonContext.Default.ManifestDocument);
            if (document is null || document.Format != ManifestDocument.FormatName)
            {
                return (new ManifestDocument(), Warn("it is not a BuildImages manifest"));
            }
            if (document.Version != ManifestDocument.CurrentVersion)
            {
                return (new ManifestDocument(), Warn($"it has format version {document.Version}; this BuildImages reads version {ManifestDocument.CurrentVersion}"));
            }
            // Dictionaries come back with the default comparer; keys are compared ordinally anyway.
            return (document, null);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException)
        {
            return (new ManifestDocument(), Warn("it could not be read (" + ex.Message.Split(Environment.NewLine)[0] + ")"));
        }
    }

    public void Save(ManifestDocument document) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, document, ManifestJsonContext.Default.ManifestDocument));

    private Diagnostic Warn(string why) =>
        new(DiagnosticSeverity.Warning, DiagnosticCodes.ManifestUnreadable, $"manifest ignored, every output will be rendered: {why}", path);
}
