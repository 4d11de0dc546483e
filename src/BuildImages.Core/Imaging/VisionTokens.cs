using System.Text.Json;

namespace BuildImages.Core.Imaging;

/// <summary>One model family's billing rule for images, as read from its provider's documentation.</summary>
internal sealed record VisionModel(string Provider, string Model, string Rule, IReadOnlyDictionary<string, double> Numbers, decimal PricePerMillion, string Source, string Read, string? Notes)
{
    private double N(string name) => Numbers.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"vision rule {Rule} of {Model} needs '{name}'");

    /// <summary>The tokens an image of this size costs, and whether the provider scales it down first (the upload was larger than it needed to be).</summary>
    public (long Tokens, bool ProviderResizes) Estimate(int width, int height) => Rule switch
    {
        "openai-tiles" => OpenAiTiles(width, height),
        "openai-patches" => OpenAiPatches(width, height),
        "anthropic-area" => Anthropic(width, height),
        "gemini-tiles" => GeminiTiles(width, height),
        "gemini-fixed" => ((long)N("tokens"), true),
        _ => throw new InvalidOperationException($"unknown vision rule '{Rule}'"),
    };

    public decimal Cost(long tokens) => tokens * PricePerMillion / 1_000_000m;

    private (long, bool) OpenAiTiles(int width, int height)
    {
        double w = width, h = height;
        var resized = false;
        if (Math.Max(w, h) > 2048)
        {
            var s = 2048 / Math.Max(w, h);
            (w, h, resized) = (w * s, h * s, true);
        }
        if (Math.Min(w, h) > 768)
        {
            var s = 768 / Math.Min(w, h);
            (w, h, resized) = (w * s, h * s, true);
        }
        var tiles = (long)Math.Ceiling(Math.Floor(w) / 512) * (long)Math.Ceiling(Math.Floor(h) / 512);
        return ((long)N("base") + ((long)N("perTile") * tiles), resized);
    }

    private (long, bool) OpenAiPatches(int width, int height)
    {
        const double patch = 32, cap = 1536;
        double w = width, h = height;
        var patches = Math.Ceiling(w / patch) * Math.Ceiling(h / patch);
        var resized = patches > cap;
        if (resized)
        {
            var shrink = Math.Sqrt(patch * patch * cap / (w * h));
            (w, h) = (w * shrink, h * shrink);
            // Whole patches across the width, then scale the height with it.
            var fit = Math.Floor(w / patch) / (w / patch);
            (w, h) = (w * fit, h * fit);
            patches = Math.Ceiling(w / patch) * Math.Ceiling(h / patch);
        }
        return ((long)Math.Round(Math.Min(patches, cap) * N("multiplier")), resized);
    }

    private (long, bool) Anthropic(int width, int height)
    {
        double w = width, h = height;
        var scale = Math.Min(1, Math.Min(N("maxLongEdge") / Math.Max(w, h), Math.Sqrt(N("maxMegapixels") * 1_000_000 / (w * h))));
        var resized = scale < 1;
        // Scaled to fit within the limits: whole pixels, rounded down.
        (w, h) = (Math.Floor(w * scale), Math.Floor(h * scale));
        return ((long)Math.Ceiling(w * h / N("divisor")), resized);
    }

    private (long, bool) GeminiTiles(int width, int height)
    {
        var small = N("small");
        if (width <= small && height <= small)
        {
            return ((long)N("perTile"), false);
        }
        var unit = Math.Floor(Math.Min(width, height) / 1.5);
        var tiles = (long)Math.Ceiling(width / unit) * (long)Math.Ceiling(height / unit);
        return (tiles * (long)N("perTile"), true);
    }
}

/// <summary>The vision models the report estimates for (<c>Imaging/vision-providers.json</c>, embedded).</summary>
internal static class VisionModels
{
    public static IReadOnlyList<VisionModel> BuiltIn()
    {
        using var stream = typeof(VisionModels).Assembly.GetManifestResourceStream("BuildImages.vision-providers.json")!;
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var known = new HashSet<string>(StringComparer.Ordinal) { "provider", "model", "rule", "price", "source", "read", "notes" };
        return document.RootElement.GetProperty("models").EnumerateArray().Select(m => new VisionModel(
            m.GetProperty("provider").GetString()!,
            m.GetProperty("model").GetString()!,
            m.GetProperty("rule").GetString()!,
            m.EnumerateObject().Where(p => !known.Contains(p.Name) && p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal),
            m.GetProperty("price").GetDecimal(),
            m.GetProperty("source").GetString()!,
            m.GetProperty("read").GetString()!,
            m.TryGetProperty("notes", out var n) ? n.GetString() : null)).ToList();
    }
}
