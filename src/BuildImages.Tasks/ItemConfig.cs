using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Build.Framework;

namespace BuildImages.Tasks;

/// <summary>
/// SocialImage items as configuration: each item (a data file or glob) becomes one job of a buildimages.json made
/// in memory, appended to the project's own buildimages.json when there is one, so items and files go through the
/// same validation (ConfigLoader) and give the same bytes and manifest as the tool. Metadata: Template (default
/// blog-post), OutputPattern (default og/{{ slug }}; MSBuild reserves the attribute name Output, so that one only as a
/// child element), Size, Formats (webp;jpeg), Widths, Quality, MaxBytes, Encoder (balanced, fast, small).
/// </summary>
internal static class ItemConfig
{
    /// <summary>The configuration's JSON text: the config file's with the items' jobs added, or a new one for the project.</summary>
    internal static byte[] Compose(string? configText, IReadOnlyList<ITaskItem> items, string? outputDirectory, string? baseUrl)
    {
        var root = configText is null ? new JsonObject() : JsonNode.Parse(configText, documentOptions: new System.Text.Json.JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        if (configText is null)
        {
            root["outputDir"] = string.IsNullOrEmpty(outputDirectory) ? "wwwroot" : outputDirectory;
            if (!string.IsNullOrEmpty(baseUrl))
            {
                root["baseUrl"] = baseUrl;
            }
        }
        var jobs = root["jobs"] as JsonArray ?? [];
        root["jobs"] = jobs;
        foreach (var item in items)
        {
            jobs.Add(Job(item));
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static JsonObject Job(ITaskItem item)
    {
        string? Meta(string name) => item.GetMetadata(name) is { Length: > 0 } v ? v : null;
        var job = new JsonObject
        {
            ["name"] = "SocialImage " + item.ItemSpec,
            ["template"] = Meta("Template") ?? "blog-post",
            ["data"] = item.ItemSpec.Replace('\\', '/'),
            ["output"] = Meta("OutputPattern") ?? Meta("Output") ?? "og/{{ slug }}",
        };
        if (Meta("Size") is { } size)
        {
            job["size"] = size;
        }
        if (Meta("Encoder") is { } encoder)
        {
            job["encoder"] = encoder;
        }
        var formats = (Meta("Formats") ?? "webp;jpeg").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var widths = Meta("Widths")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [string.Empty];
        var variants = new JsonArray();
        foreach (var format in formats)
        {
            foreach (var width in widths)
            {
                var variant = new JsonObject { ["format"] = format };
                // Numbers that are not numbers stay strings, so the configuration's own check names them.
                if (width.Length > 0)
                {
                    variant["width"] = Number(width);
                }
                if (Meta("Quality") is { } quality)
                {
                    variant["quality"] = Number(quality);
                }
                if (Meta("MaxBytes") is { } maxBytes)
                {
                    variant["maxBytes"] = Number(maxBytes);
                }
                variants.Add(variant);
            }
        }
        job["variants"] = variants;
        return job;
    }

    private static JsonNode Number(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(text);
}
