using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BuildImages.Core.Manifest;

/// <summary>
/// The manifest file as a build reads it (<see cref="ManifestStore.Stream"/>): the header and input sets as in
/// <see cref="ManifestDocument"/>, the records handed to a <see cref="ManifestRecordSink"/> one at a time.
/// </summary>
internal sealed class StreamedManifest
{
    public string Format { get; set; } = ManifestDocument.FormatName;

    public int Version { get; set; } = ManifestDocument.CurrentVersion;

    public Dictionary<string, InputSet> Inputs { get; set; } = new(StringComparer.Ordinal);

    public ManifestRecordSink Cards { get; set; } = new();

    /// <summary>How to read the file with its records going to <paramref name="records"/> (the serializer makes the sink it fills; this is the one it makes).</summary>
    internal static JsonTypeInfo<StreamedManifest> TypeInfo(ManifestRecordSink records)
    {
        var options = new JsonSerializerOptions(ManifestJsonContext.Default.Options)
        {
            TypeInfoResolver = ManifestJsonContext.Default.WithAddedModifier(info =>
            {
                if (info.Type == typeof(ManifestRecordSink))
                {
                    info.CreateObject = () => records;
                }
            }),
        };
        return (JsonTypeInfo<StreamedManifest>)options.GetTypeInfo(typeof(StreamedManifest));
    }
}
