using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace BuildImages.Core.Assets;

/// <summary>
/// What an SVG's filters will cost librsvg to rasterise, estimated before drawing. librsvg 2.54 cannot be
/// cancelled mid-render, and a 2.6 KB SVG of stacked filters (morphology radius in the thousands, turbulence
/// with many octaves on a 100000-unit viewBox) held a worker for minutes: so the budget is decided up front,
/// from the filter primitives, the device scale they run at and the area they cover, and an SVG over it fails
/// its card instead of being drawn.
/// </summary>
internal sealed partial class SvgFilterWork
{
    /// <summary>Pixel operations one SVG may cost per draw: about 2 s of librsvg on this machine's cores; a drop shadow on a full card is ~10⁷.</summary>
    internal const double Budget = 3e9;

    private readonly List<(Primitive[] Filter, double Scale)> _applications;

    private SvgFilterWork(List<(Primitive[] Filter, double Scale)> applications, double viewBoxWidth)
    {
        _applications = applications;
        ViewBoxWidth = viewBoxWidth;
    }

    /// <summary>The width of the root's user space (viewBox, else intrinsic width), to turn device size into a scale.</summary>
    internal double ViewBoxWidth { get; }

    internal bool HasFilters => _applications.Count > 0;

    /// <summary>Estimated pixel operations to draw the SVG covering <paramref name="deviceWidth"/>×<paramref name="deviceHeight"/> pixels.</summary>
    internal double Cost(double deviceWidth, double deviceHeight)
    {
        var area = Math.Max(1, deviceWidth * deviceHeight);
        var rootScale = deviceWidth / Math.Max(1e-9, ViewBoxWidth);
        var total = 0.0;
        foreach (var (filter, scale) in _applications)
        {
            foreach (var p in filter)
            {
                total += area * p.PerPixel(p.BoundingBoxUnits ? Math.Max(deviceWidth, deviceHeight) : rootScale * scale);
            }
        }
        return total;
    }

    /// <summary>Reads the filters and the elements that use them; null when the XML cannot be read here (librsvg then reports it).</summary>
    internal static SvgFilterWork? Read(byte[] svg, double intrinsicWidth)
    {
        // Every filter is a <filter> element: an SVG without the word has nothing to budget, and most logos are read
        // per card. Only for 8-bit text: in UTF-16 (NUL bytes) the word would not be found byte for byte.
        if (svg.AsSpan().IndexOf("filter"u8) < 0 && svg.AsSpan().IndexOf((byte)0) < 0)
        {
            return null;
        }
        var filters = new Dictionary<string, List<Primitive>>(StringComparer.Ordinal);
        var uses = new List<(string Id, double Scale)>();
        var useCount = 0;
        var cssFilters = false;
        var viewBoxWidth = intrinsicWidth;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Parse,
            XmlResolver = null,
            MaxCharactersFromEntities = 1_000_000,
            MaxCharactersInDocument = 64L * 1024 * 1024,
            IgnoreComments = true,
        };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(svg), settings);
            var scales = new Stack<double>();
            List<Primitive>? current = null;
            var currentDepth = -1;
            var bboxUnits = false;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.EndElement)
                {
                    if (reader.Depth == currentDepth)
                    {
                        current = null;
                        currentDepth = -1;
                    }
                    if (scales.Count > 0)
                    {
                        scales.Pop();
                    }
                    continue;
                }
                if (reader.NodeType == XmlNodeType.Text && reader.Value.Contains("filter", StringComparison.OrdinalIgnoreCase))
                {
                    cssFilters = true;
                    continue;
                }
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }
                var parentScale = scales.Count > 0 ? scales.Peek() : 1;
                var scale = parentScale * TransformScale(reader.GetAttribute("transform"));
                if (!reader.IsEmptyElement)
                {
                    scales.Push(scale);
                }
                var name = reader.LocalName;
                if (reader.Depth == 0 && ViewBoxWidthOf(reader.GetAttribute("viewBox")) is { } vb)
                {
                    viewBoxWidth = vb;
                }
                if (name == "use")
                {
                    useCount++;
                }
                if (name == "filter")
                {
                    current = [];
                    filters[reader.GetAttribute("id") ?? string.Empty] = current;
                    currentDepth = reader.IsEmptyElement ? -1 : reader.Depth;
                    bboxUnits = reader.GetAttribute("primitiveUnits") == "objectBoundingBox";
                    continue;
                }
                if (current is not null && name.StartsWith("fe", StringComparison.Ordinal))
                {
                    current.Add(Primitive.Of(name, reader, bboxUnits));
                }
                foreach (var id in FilterReferences(reader.GetAttribute("filter"), reader.GetAttribute("style")))
                {
                    uses.Add((id, scale));
                }
            }
        }
        catch (XmlException)
        {
            return null;
        }
        var applications = new List<(Primitive[], double)>();
        // A <use> may repeat any filtered element; CSS may apply any filter to any element. Count both as the worst case.
        var repeat = 1 + useCount;
        foreach (var (id, scale) in cssFilters ? filters.Keys.Select(k => (k, 1.0)).Concat(uses) : uses)
        {
            if (filters.TryGetValue(id, out var primitives) && primitives.Count > 0)
            {
                for (var i = 0; i < Math.Min(repeat, 10_000); i++)
                {
                    applications.Add((primitives.ToArray(), scale));
                }
            }
        }
        return new SvgFilterWork(applications, viewBoxWidth);
    }

    private static IEnumerable<string> FilterReferences(string? attribute, string? style)
    {
        foreach (var text in new[] { attribute, style })
        {
            if (text is null)
            {
                continue;
            }
            foreach (Match m in UrlReference().Matches(text))
            {
                yield return m.Groups[1].Value;
            }
        }
    }

    /// <summary>The largest factor a transform list scales lengths by (scale, matrix; rotation and translation keep lengths).</summary>
    private static double TransformScale(string? transform)
    {
        if (string.IsNullOrEmpty(transform))
        {
            return 1;
        }
        var factor = 1.0;
        foreach (Match m in TransformFunction().Matches(transform))
        {
            var n = Numbers(m.Groups[2].Value);
            factor *= m.Groups[1].Value switch
            {
                "scale" when n.Length > 0 => Math.Max(Math.Abs(n[0]), Math.Abs(n.Length > 1 ? n[1] : n[0])),
                "matrix" when n.Length >= 4 => Math.Max(Math.Sqrt((n[0] * n[0]) + (n[1] * n[1])), Math.Sqrt((n[2] * n[2]) + (n[3] * n[3]))),
                "skewX" or "skewY" when n.Length > 0 => 1 + Math.Abs(Math.Tan(n[0] * Math.PI / 180)),
                _ => 1,
            };
        }
        return double.IsFinite(factor) ? factor : double.MaxValue;
    }

    private static double? ViewBoxWidthOf(string? viewBox) => Numbers(viewBox) is { Length: 4 } v && v[2] > 0 ? v[2] : null;

    internal static double[] Numbers(string? text) => text is null ? [] : NumberToken().Matches(text)
        .Select(m => double.TryParse(m.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0).ToArray();

    [GeneratedRegex(@"url\(\s*['""]?#([^'"")\s]+)")]
    private static partial Regex UrlReference();

    [GeneratedRegex(@"(scale|matrix|skewX|skewY|rotate|translate)\s*\(([^)]*)\)")]
    private static partial Regex TransformFunction();

    [GeneratedRegex(@"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")]
    private static partial Regex NumberToken();

    /// <summary>One filter primitive and its cost per covered pixel at a device scale (device pixels per user unit).</summary>
    private sealed record Primitive(string Name, double A, double B, bool BoundingBoxUnits)
    {
        internal static Primitive Of(string name, XmlReader reader, bool bboxUnits)
        {
            double[] Pair(string attribute, double fallback) => Numbers(reader.GetAttribute(attribute)) is { Length: > 0 } n ? n : [fallback];
            return name switch
            {
                "feMorphology" => Pairs(name, Pair("radius", 0), bboxUnits),
                "feConvolveMatrix" => Pairs(name, Pair("order", 3), false),
                "feTurbulence" => new(name, Pair("numOctaves", 1)[0], 0, false),
                _ => new(name, 0, 0, bboxUnits),
            };
        }

        private static Primitive Pairs(string name, double[] n, bool bboxUnits) => new(name, Math.Abs(n[0]), Math.Abs(n.Length > 1 ? n[1] : n[0]), bboxUnits);

        internal double PerPixel(double scale) => Name switch
        {
            // librsvg's morphology visits every pixel of the (2r+1)² window.
            "feMorphology" => ((2 * A * scale) + 1) * ((2 * B * scale) + 1),
            "feConvolveMatrix" => Math.Max(1, A) * Math.Max(1, B),
            "feTurbulence" => 4 * Math.Clamp(A, 1, 1e6),
            "feDiffuseLighting" or "feSpecularLighting" => 30,
            "feGaussianBlur" => 13,
            _ => 2,
        };
    }
}
