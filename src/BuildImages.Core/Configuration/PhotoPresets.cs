using System.Text.Json;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Configuration;

/// <summary>A named list of photo variants, with the reasoning behind its numbers.</summary>
internal sealed record PhotoPreset(string Name, string Description, IReadOnlyList<VariantConfig> Variants);

/// <summary>The built-in presets (<c>Imaging/photo-presets.json</c>, embedded) and a configuration's own, which add to them or replace them by name.</summary>
internal static class PhotoPresets
{
    private const string ResourceName = "BuildImages.photo-presets.json";

    public static IReadOnlyDictionary<string, PhotoPreset> BuiltIn()
    {
        using var stream = typeof(PhotoPresets).Assembly.GetManifestResourceStream(ResourceName)!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip };
        using var document = JsonDocument.Parse(bytes, options);
        var source = new JsonConfigText("photo-presets.json (built in)", new JsonLocator(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip }));
        return With(new Dictionary<string, PhotoPreset>(StringComparer.Ordinal), new ConfigObject(ConfigValue.FromJson(document.RootElement, string.Empty, source)));
    }

    internal static IReadOnlyDictionary<string, PhotoPreset> With(IReadOnlyDictionary<string, PhotoPreset> presets, ConfigObject own)
    {
        var result = new Dictionary<string, PhotoPreset>(presets, StringComparer.Ordinal);
        foreach (var name in own.PropertyNames().Where(n => !n.StartsWith("//", StringComparison.Ordinal)))
        {
            var preset = own.Object(name)!;
            preset.AllowOnly("description", "variants");
            var variants = preset.Objects("variants").Select(v => ConfigLoader.ReadVariant(v, photo: true)).ToList();
            if (variants.Count == 0)
            {
                throw preset.Error("variants", $"photo preset '{name}' must list at least one variant");
            }
            result[name] = new PhotoPreset(name, preset.String("description") ?? string.Empty, variants);
        }
        return result;
    }
}
