using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BuildImages.Core.Configuration;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Output;

/// <summary>
/// Writes images.json: per item, every variant's path, URL (with the cache buster), size, type, bytes and key,
/// and optionally the og:/twitter: tags a page puts in its head. Rewritten only when its content changes,
/// so a no-op build touches nothing a site generator would watch.
/// </summary>
public sealed class SiteMetadataWriter(BuildConfig config)
{
    public const int FormatVersion = 1;

    public void Write(BuildPlan plan, IReadOnlyDictionary<string, CardRecord> records)
    {
        var bytes = Render(plan, records);
        if (File.Exists(config.MetadataFile) && File.ReadAllBytes(config.MetadataFile).AsSpan().SequenceEqual(bytes))
        {
            return;
        }
        AtomicFile.Write(config.MetadataFile, bytes);
    }

    public byte[] Render(BuildPlan plan, IReadOnlyDictionary<string, CardRecord> records)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", FormatVersion);
            w.WriteString("generator", EngineStamp.Managed);
            w.WriteStartArray("items");
            foreach (var card in plan.Cards)
            {
                if (records.TryGetValue(card.RecordKey, out var record))
                {
                    var variants = card.Variants.Select(v => record.Variants.FirstOrDefault(r => r.Path == v.Path)).OfType<VariantRecord>().ToList();
                    WriteItem(w, record, variants, TagVariant(card, variants));
                }
            }
            // Outputs this build did not plan but still has (other jobs, items rendered alone, failed items) keep their entries.
            var jobs = config.Jobs.Select(j => j.Name).ToList();
            var plannedKeys = plan.Cards.Select(c => c.RecordKey).ToHashSet(StringComparer.Ordinal);
            foreach (var record in records.Where(r => !plannedKeys.Contains(r.Key) && jobs.Contains(r.Value.Job)).Select(r => r.Value).OrderBy(r => jobs.IndexOf(r.Job)).ThenBy(r => r.Output, StringComparer.Ordinal))
            {
                WriteItem(w, record, record.Variants, record.Variants.FirstOrDefault(v => v.Mime is "image/jpeg" or "image/png") ?? record.Variants.FirstOrDefault());
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The variant og:image points to: the job's choice, else the first full-width JPEG or PNG (every crawler reads them), else the first.</summary>
    private static VariantRecord? TagVariant(PlannedCard card, List<VariantRecord> variants)
    {
        if (card.Job.TagVariant is { } index)
        {
            return variants.FirstOrDefault(v => v.Path == card.Variants[index].Path);
        }
        return variants.FirstOrDefault(v => v.Width == card.Size.Width && v.Mime is "image/jpeg" or "image/png") ?? variants.FirstOrDefault();
    }

    private void WriteItem(Utf8JsonWriter w, CardRecord record, IReadOnlyList<VariantRecord> variants, VariantRecord? tagged)
    {
        if (variants.Count == 0)
        {
            return;
        }
        w.WriteStartObject();
        w.WriteString("job", record.Job);
        w.WriteString("item", record.Item);
        w.WriteString("source", record.Source);
        w.WriteString("output", record.Output);
        if (record.Alt is not null)
        {
            w.WriteString("alt", record.Alt);
        }
        w.WriteStartArray("variants");
        foreach (var v in variants)
        {
            w.WriteStartObject();
            w.WriteString("path", v.File);
            w.WriteString("url", Url(v));
            w.WriteNumber("width", v.Width);
            w.WriteNumber("height", v.Height);
            w.WriteString("type", v.Mime);
            w.WriteNumber("bytes", v.Bytes);
            w.WriteString("key", v.Key);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (config.Tags && tagged is not null)
        {
            w.WriteString("tags", Tags(tagged, record.Alt));
        }
        w.WriteEndObject();
    }

    private string Url(VariantRecord v)
    {
        var baseUrl = config.BaseUrl ?? "/";
        var path = string.Join('/', v.File.Split('/').Select(Uri.EscapeDataString));
        var url = (baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/") + path;
        return config.CacheBust == CacheBust.Query ? $"{url}?v={v.Sha256[..10]}" : url;
    }

    private string Tags(VariantRecord v, string? alt)
    {
        static string Attr(string s) => WebUtility.HtmlEncode(s);
        var url = Attr(Url(v));
        var sb = new StringBuilder();
        sb.Append("<meta property=\"og:image\" content=\"").Append(url).Append("\">\n");
        sb.Append("<meta property=\"og:image:width\" content=\"").Append(v.Width).Append("\">\n");
        sb.Append("<meta property=\"og:image:height\" content=\"").Append(v.Height).Append("\">\n");
        sb.Append("<meta property=\"og:image:type\" content=\"").Append(v.Mime).Append("\">\n");
        if (!string.IsNullOrWhiteSpace(alt))
        {
            sb.Append("<meta property=\"og:image:alt\" content=\"").Append(Attr(alt)).Append("\">\n");
        }
        // X shows a large image for wide cards and a thumbnail ("summary") for square ones.
        var card = v.Width >= 1.5 * v.Height ? "summary_large_image" : "summary";
        sb.Append("<meta name=\"twitter:card\" content=\"").Append(card).Append("\">\n");
        sb.Append("<meta name=\"twitter:image\" content=\"").Append(url).Append("\">");
        if (!string.IsNullOrWhiteSpace(alt))
        {
            sb.Append("\n<meta name=\"twitter:image:alt\" content=\"").Append(Attr(alt)).Append("\">");
        }
        return sb.ToString();
    }
}
