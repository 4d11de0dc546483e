using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BuildImages.Core.Configuration;
using BuildImages.Core.Manifest;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Output;

/// <summary>
/// Writes images.json: per item, every variant's path, URL (with the cache buster), size, type, bytes and key,
/// and optionally the og:/twitter: tags a page puts in its head. Rewritten only when its content changes,
/// so a no-op build touches nothing a site generator would watch.
/// </summary>
internal sealed class SiteMetadataWriter(BuildConfig config)
{
    public const int FormatVersion = 1;

    private const int FlushThreshold = 1 << 16;

    /// <summary>Writes the file if its content changed; returns its <see cref="Stamp"/> afterwards.</summary>
    public string Write(Func<string, IEnumerable<ItemRecord>> recordsOfJob)
    {
        // Streamed into the temp file: at 10,000 items the file is ~18 MB, which must not exist as arrays in memory.
        AtomicFile.WriteIfChanged(config.MetadataFile, stream => Render(recordsOfJob, stream));
        return Stamp();
    }

    /// <summary>The configuration's hash and the file's size and time: while it is unchanged, a build that changed no record need not rewrite the file.</summary>
    public string Stamp() => $"{config.ContentHash}:{Manifest.FileStamp.Describe(config.MetadataFile)}";

    /// <summary>
    /// Items in job order, then by output path, so every front and every partial build writes the same file.
    /// <paramref name="recordsOfJob"/> gives one job's records ordered by output path.
    /// </summary>
    public void Render(Func<string, IEnumerable<ItemRecord>> recordsOfJob, Stream destination)
    {
        using var w = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteNumber("version", FormatVersion);
        w.WriteString("generator", EngineStamp.Managed);
        w.WriteStartArray("items");
        foreach (var job in config.Jobs)
        {
            foreach (var record in recordsOfJob(job.Name))
            {
                WriteItem(w, record, record.Variants, job.Photos is null ? TagVariant(job, record) : null, job.Photos);
                if (w.BytesPending > FlushThreshold)
                {
                    w.Flush();
                }
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The variant og:image points to: the job's choice, else the first full-width JPEG or PNG (every crawler reads them), else the first.</summary>
    private static VariantRecord? TagVariant(JobConfig job, ItemRecord record)
    {
        if (job.TagVariant is { } index && index < record.Variants.Count)
        {
            return record.Variants[index];
        }
        var width = record.Size.Split('x')[0];
        return record.Variants.FirstOrDefault(v => v.Width.ToString(System.Globalization.CultureInfo.InvariantCulture) == width && v.Mime is "image/jpeg" or "image/png")
            ?? record.Variants.FirstOrDefault();
    }

    private void WriteItem(Utf8JsonWriter w, ItemRecord record, IReadOnlyList<VariantRecord> variants, VariantRecord? tagged, PhotoJobConfig? photos)
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
        if (tagged is not null)
        {
            // The file og:image names, for readers that write their own tags (BuildImages.AspNetCore).
            w.WriteString("tagged", tagged.File);
        }
        if (config.Tags && tagged is not null)
        {
            w.WriteString("tags", Tags(tagged, record.Alt));
        }
        // A copied original (onError: copy-original) has no known size, so it has no place in a srcset.
        if (photos is { Picture: true } && variants.Where(v => v.Options != "original").ToList() is { Count: > 0 } made)
        {
            w.WriteString("picture", Picture(made, photos.Sizes));
        }
        w.WriteEndObject();
    }

    private string Url(VariantRecord v) => SiteUrl.Of(config, v.File, v.Sha256);

    /// <summary>
    /// A &lt;picture&gt; element: a &lt;source&gt; per modern format (AVIF, then WebP) with every width once, and an
    /// &lt;img&gt; of the JPEG or PNG (else the last format) with width and height, so the page reserves the box. The
    /// alt text is left for the page to fill in.
    /// </summary>
    private string Picture(IReadOnlyList<VariantRecord> variants, string sizes)
    {
        static string Attr(string s) => WebUtility.HtmlEncode(s);
        string SrcSet(IEnumerable<VariantRecord> vs) => string.Join(", ", vs.GroupBy(v => v.Width).Select(g => g.OrderBy(v => v.Bytes).First()).OrderBy(v => v.Width).Select(v => $"{Url(v)} {v.Width}w"));
        var byType = variants.GroupBy(v => v.Mime).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var fallbackType = new[] { "image/jpeg", "image/png" }.FirstOrDefault(byType.ContainsKey) ?? variants[^1].Mime;
        var sb = new StringBuilder("<picture>\n");
        foreach (var type in new[] { "image/avif", "image/webp", "image/jpeg", "image/png" }.Where(t => t != fallbackType && byType.ContainsKey(t)))
        {
            sb.Append("  <source type=\"").Append(type).Append("\" srcset=\"").Append(Attr(SrcSet(byType[type]))).Append("\" sizes=\"").Append(Attr(sizes)).Append("\">\n");
        }
        var fallback = byType[fallbackType];
        var largest = fallback.OrderBy(v => v.Width).Last();
        sb.Append("  <img src=\"").Append(Attr(Url(largest))).Append("\" srcset=\"").Append(Attr(SrcSet(fallback))).Append("\" sizes=\"").Append(Attr(sizes))
            .Append("\" width=\"").Append(largest.Width).Append("\" height=\"").Append(largest.Height).Append("\" alt=\"\" loading=\"lazy\" decoding=\"async\">\n</picture>");
        return sb.ToString();
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
