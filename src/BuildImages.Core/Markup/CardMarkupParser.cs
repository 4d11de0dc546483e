using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Markup;

/// <summary>
/// Parses card markup (the XML a template renders to) into nodes. Errors carry the line and column in
/// the markup; the template stage maps them back to the template.
/// </summary>
internal static partial class CardMarkupParser
{
    private const int MaxMarkupCharacters = 4_000_000;
    private const int MaxDepth = 64;

    private static readonly Dictionary<string, CrossAlign> AlignValues = new(StringComparer.Ordinal)
    {
        ["start"] = CrossAlign.Start, ["center"] = CrossAlign.Center, ["end"] = CrossAlign.End, ["stretch"] = CrossAlign.Stretch,
    };

    private static readonly Dictionary<string, MainJustify> JustifyValues = new(StringComparer.Ordinal)
    {
        ["start"] = MainJustify.Start, ["center"] = MainJustify.Center, ["end"] = MainJustify.End,
        ["space-between"] = MainJustify.SpaceBetween, ["space-around"] = MainJustify.SpaceAround, ["space-evenly"] = MainJustify.SpaceEvenly,
    };

    private static readonly Dictionary<string, StackDirection> DirectionValues = new(StringComparer.Ordinal)
    {
        ["column"] = StackDirection.Column, ["row"] = StackDirection.Row,
    };

    private static readonly Dictionary<string, WritingDirection> WritingDirectionValues = new(StringComparer.Ordinal)
    {
        ["ltr"] = WritingDirection.Ltr, ["rtl"] = WritingDirection.Rtl, ["auto"] = WritingDirection.Auto,
    };

    private static readonly Dictionary<string, TextAlign> TextAlignValues = new(StringComparer.Ordinal)
    {
        ["start"] = TextAlign.Start, ["left"] = TextAlign.Start, ["center"] = TextAlign.Center,
        ["end"] = TextAlign.End, ["right"] = TextAlign.End, ["justify"] = TextAlign.Justify,
    };

    private static readonly Dictionary<string, VerticalAlign> VAlignValues = new(StringComparer.Ordinal)
    {
        ["top"] = VerticalAlign.Top, ["middle"] = VerticalAlign.Middle, ["center"] = VerticalAlign.Middle, ["bottom"] = VerticalAlign.Bottom,
    };

    private static readonly Dictionary<string, ImageFit> FitValues = new(StringComparer.Ordinal)
    {
        ["cover"] = ImageFit.Cover, ["contain"] = ImageFit.Contain, ["fill"] = ImageFit.Fill,
    };

    private static readonly Dictionary<string, bool> WordBreakValues = new(StringComparer.Ordinal)
    {
        ["normal"] = false, ["keep-all"] = true,
    };

    private static readonly Dictionary<string, bool> FontStyleValues = new(StringComparer.Ordinal)
    {
        ["normal"] = false, ["italic"] = true, ["oblique"] = true,
    };

    private static readonly Dictionary<string, bool> CapValues = new(StringComparer.Ordinal)
    {
        ["butt"] = false, ["round"] = true,
    };

    /// <summary>
    /// Parses markup text; throws <see cref="BuildInputException"/> with the markup's line and column. A card
    /// without width/height takes the requested size; one with a different size is an error.
    /// </summary>
    public static CardRootNode Parse(string markup, int requestedWidth = 1200, int requestedHeight = 630)
    {
        if (requestedWidth is < 1 or > 8192 || requestedHeight is < 1 or > 8192)
        {
            throw new ArgumentOutOfRangeException(nameof(requestedWidth), $"a card size must be 1–8192 pixels per side, not {requestedWidth}x{requestedHeight}");
        }
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = MaxMarkupCharacters,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
            };
            using var reader = XmlReader.Create(new StringReader(markup), settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo | LoadOptions.PreserveWhitespace);
        }
        catch (XmlException ex)
        {
            throw AtMarkup(DiagnosticCodes.MarkupSyntax, "card markup is not well-formed XML: " + InOurWords(StripPosition(ex.Message)), new MarkupPosition(ex.LineNumber, ex.LinePosition));
        }
        var root = document.Root!;
        if (root.Name.LocalName != "card")
        {
            throw AtMarkup(DiagnosticCodes.UnknownElement, $"the root element must be <card>, not <{root.Name.LocalName}>", ElementReader.PositionOf(root));
        }
        return ParseCard(root, Validate(root, 0, inline: false), requestedWidth, requestedHeight);
    }

    private static CardNode ParseElement(XElement element, int depth)
    {
        var reader = Validate(element, depth, inline: false);
        return reader.Name switch
        {
            "card" => throw UnknownElement(element, "a block position (<card> is only the root)"),
            "stack" or "row" or "column" or "spacer" => ParseContainer(element, reader, depth),
            "text" => ParseText(element, reader, depth),
            "rect" => ParseRect(reader),
            "ellipse" or "circle" => ParseEllipse(reader),
            "line" => ParseLine(reader),
            "image" => ParseImage(reader),
            _ => throw UnknownElement(element, "a block position (inline elements go inside <text>)"),
        };
    }

    private static ElementReader Validate(XElement element, int depth, bool inline)
    {
        var name = element.Name.LocalName;
        if (depth > MaxDepth)
        {
            var p = ElementReader.PositionOf(element);
            throw AtMarkup(DiagnosticCodes.MarkupSyntax, $"elements are nested deeper than {MaxDepth} levels", p);
        }
        if (!element.Name.NamespaceName.Equals(string.Empty, StringComparison.Ordinal) || !MarkupSchema.Elements.TryGetValue(name, out var allowed)
            || (inline != MarkupSchema.InlineElements.Contains(name)))
        {
            throw UnknownElement(element, inline ? "text content" : "a block position");
        }
        foreach (var attribute in element.Attributes())
        {
            if (attribute.IsNamespaceDeclaration)
            {
                continue;
            }
            if (!allowed.Contains(attribute.Name.LocalName) || attribute.Name.NamespaceName.Length > 0)
            {
                var p = ElementReader.PositionOf(attribute);
                throw AtMarkup(DiagnosticCodes.UnknownAttribute, $"<{name}> has no attribute '{attribute.Name.LocalName}'{NearestName.Hint(attribute.Name.LocalName, allowed)}; allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}", p);
            }
        }
        return new ElementReader(element);
    }

    private static BuildInputException UnknownElement(XElement element, string where)
    {
        var p = ElementReader.PositionOf(element);
        var candidates = where == "text content" ? MarkupSchema.InlineElements : MarkupSchema.Elements.Keys.Where(k => !MarkupSchema.InlineElements.Contains(k) && k != "card").ToHashSet();
        var near = NearestName.Of(element.Name.LocalName, candidates) is { } n && n != element.Name.LocalName ? $"; did you mean <{n}>?" : string.Empty;
        return AtMarkup(DiagnosticCodes.UnknownElement, $"unknown element <{element.Name.LocalName}> in {where}{near}; allowed: {string.Join(", ", candidates.Order(StringComparer.Ordinal))}", p);
    }

    private static CardRootNode ParseCard(XElement element, ElementReader r, int requestedWidth, int requestedHeight)
    {
        // A card without width/height takes the requested size; a different declared size is an error.
        var width = r.Number("width") ?? requestedWidth;
        var height = r.Number("height") ?? requestedHeight;
        if ((int)Math.Round(width) != requestedWidth || (int)Math.Round(height) != requestedHeight)
        {
            throw AtMarkup(DiagnosticCodes.BadAttributeValue, $"the template made a {width}x{height} card but {requestedWidth}x{requestedHeight} was requested (use {{{{@width}}}} and {{{{@height}}}})", r.Position);
        }
        return new CardRootNode
        {
            ElementName = "card",
            Position = r.Position,
            CardWidth = requestedWidth,
            CardHeight = requestedHeight,
            Direction = r.Enum("direction", DirectionValues) ?? StackDirection.Column,
            Gap = r.Number("gap") ?? 0,
            Padding = r.Get("padding", AttributeValueParser.Thickness, "1 to 4 numbers") ?? default,
            Align = r.Enum("align", AlignValues) ?? CrossAlign.Stretch,
            Justify = r.Enum("justify", JustifyValues) ?? MainJustify.Start,
            Background = r.Paint("background") ?? new SolidPaint(new Rgba(1, 1, 1, 1)),
            Radius = r.Get("radius", AttributeValueParser.Corners, "1 to 4 numbers") ?? default,
            Stroke = r.Paint("stroke"),
            StrokeWidth = r.Number("stroke-width") ?? 1,
            Shadow = r.Shadow("shadow"),
            Clip = true,
            Text = ReadTextStyle(r),
            Children = Children(element, 0),
        };
    }

    private static ContainerNode ParseContainer(XElement element, ElementReader r, int depth)
    {
        var defaultDirection = r.Name == "row" ? StackDirection.Row : StackDirection.Column;
        return new ContainerNode
        {
            ElementName = r.Name,
            Position = r.Position,
            Box = ReadBox(r, defaultGrow: r.Name == "spacer" ? 1 : 0),
            Direction = r.Enum("direction", DirectionValues) ?? defaultDirection,
            Gap = r.Number("gap") ?? 0,
            Padding = r.Get("padding", AttributeValueParser.Thickness, "1 to 4 numbers") ?? default,
            Align = r.Enum("align", AlignValues) ?? CrossAlign.Stretch,
            Justify = r.Enum("justify", JustifyValues) ?? MainJustify.Start,
            Background = r.Paint("background"),
            Radius = r.Get("radius", AttributeValueParser.Corners, "1 to 4 numbers") ?? default,
            Stroke = r.Paint("stroke"),
            StrokeWidth = r.Number("stroke-width") ?? 1,
            Shadow = r.Shadow("shadow"),
            Clip = r.Bool("clip") ?? false,
            Text = ReadTextStyle(r),
            Children = r.Name == "spacer" ? NoChildren(element) : Children(element, depth),
        };
    }

    private static IReadOnlyList<CardNode> NoChildren(XElement element)
    {
        if (element.Elements().FirstOrDefault() is { } child)
        {
            throw UnknownElement(child, "<spacer> (it has no content)");
        }
        return [];
    }

    private static List<CardNode> Children(XElement element, int depth)
    {
        var children = new List<CardNode>();
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XElement child:
                    children.Add(ParseElement(child, depth + 1));
                    break;
                case XText text when !string.IsNullOrWhiteSpace(text.Value):
                    var p = ElementReader.PositionOf(text);
                    throw AtMarkup(DiagnosticCodes.MarkupSyntax, $"text \"{Shorten(text.Value.Trim())}\" directly inside <{element.Name.LocalName}>; put text in a <text> element", p);
            }
        }
        return children;
    }

    private static TextNode ParseText(XElement element, ElementReader r, int depth)
    {
        var maxLines = r.Number("max-lines");
        if (maxLines is not null && (maxLines < 1 || maxLines != Math.Floor(maxLines.Value)))
        {
            throw r.Bad(element.Attribute("max-lines")!, "a whole number of at least 1");
        }
        return new TextNode
        {
            ElementName = "text",
            Position = r.Position,
            Box = ReadBox(r, defaultGrow: 0),
            Text = ReadTextStyle(r),
            MaxLines = maxLines is null ? null : (int)maxLines.Value,
            MinSize = PositiveOrNull(r, element, "min-font-size"),
            VAlign = r.Enum("valign", VAlignValues) ?? VerticalAlign.Top,
            Shadow = r.Shadow("shadow"),
            Background = r.Paint("background"),
            Padding = r.Get("padding", AttributeValueParser.Thickness, "1 to 4 numbers") ?? default,
            Radius = r.Get("radius", AttributeValueParser.Corners, "1 to 4 numbers") ?? default,
            Inlines = Inlines(element, depth),
        };
    }

    private static List<InlineNode> Inlines(XElement element, int depth)
    {
        var inlines = new List<InlineNode>();
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    inlines.Add(new InlineText(CollapseWhitespace().Replace(text.Value, " ")));
                    break;
                case XElement child:
                    var r = Validate(child, depth + 1, inline: true);
                    inlines.Add(r.Name switch
                    {
                        "br" => new InlineBreak(),
                        "b" => new InlineSpan(new TextStyle { Weight = 700 }, null, false, false, Inlines(child, depth + 1)),
                        "i" => new InlineSpan(new TextStyle { Italic = true }, null, false, false, Inlines(child, depth + 1)),
                        _ => new InlineSpan(ReadTextStyle(r), r.Color("background"), r.Bool("underline") ?? false, r.Bool("strikethrough") ?? false, Inlines(child, depth + 1)),
                    });
                    break;
            }
        }
        return inlines;
    }

    private static RectNode ParseRect(ElementReader r) => new()
    {
        ElementName = r.Name,
        Position = r.Position,
        Box = ReadBox(r, defaultGrow: 0),
        Fill = r.Paint("fill"),
        Radius = r.Get("radius", AttributeValueParser.Corners, "1 to 4 numbers") ?? default,
        Stroke = r.Paint("stroke"),
        StrokeWidth = r.Number("stroke-width") ?? 1,
        Shadow = r.Shadow("shadow"),
    };

    private static EllipseNode ParseEllipse(ElementReader r) => new()
    {
        ElementName = r.Name,
        Position = r.Position,
        Box = ReadBox(r, defaultGrow: 0),
        Fill = r.Paint("fill"),
        Stroke = r.Paint("stroke"),
        StrokeWidth = r.Number("stroke-width") ?? 1,
        Shadow = r.Shadow("shadow"),
    };

    private static LineNode ParseLine(ElementReader r) => new()
    {
        ElementName = r.Name,
        Position = r.Position,
        // A line is always absolute: its end points are in the parent's content box.
        Box = BoxProperties.Default with { X = new Length(0, false), Y = new Length(0, false), Opacity = Math.Clamp(r.Number("opacity") ?? 1, 0, 1) },
        X1 = r.Number("x1") ?? 0,
        Y1 = r.Number("y1") ?? 0,
        X2 = r.Number("x2") ?? 0,
        Y2 = r.Number("y2") ?? 0,
        Stroke = r.Paint("stroke") ?? new SolidPaint(Rgba.Black),
        StrokeWidth = r.Number("stroke-width") ?? 1,
        RoundCap = r.Enum("cap", CapValues) ?? false,
    };

    private static ImageNode ParseImage(ElementReader r)
    {
        var src = r.Raw("src");
        if (string.IsNullOrWhiteSpace(src))
        {
            var p = r.Position;
            throw AtMarkup(DiagnosticCodes.BadAttributeValue, "<image> needs a non-empty 'src' (a path under the asset roots or a data: URI)", p);
        }
        var focus = r.Get("focus", s => AttributeValueParser.Numbers(s.Replace("%", string.Empty, StringComparison.Ordinal), 2, 2) is [var fx, var fy] ? (fx, fy) : ((double, double)?)null, "two percentages, e.g. \"50% 30%\"");
        return new ImageNode
        {
            ElementName = r.Name,
            Position = r.Position,
            Source = src.Trim(),
            Box = ReadBox(r, defaultGrow: 0),
            Fit = r.Enum("fit", FitValues) ?? ImageFit.Cover,
            FocusX = Math.Clamp((focus?.Item1 ?? 50) / 100, 0, 1),
            FocusY = Math.Clamp((focus?.Item2 ?? 50) / 100, 0, 1),
            Radius = r.Get("radius", AttributeValueParser.Corners, "1 to 4 numbers") ?? default,
            Circle = r.Bool("circle") ?? false,
            Shadow = r.Shadow("shadow"),
        };
    }

    private static BoxProperties ReadBox(ElementReader r, double defaultGrow) => new(
        r.Length("x"),
        r.Length("y"),
        r.Length("width"),
        r.Length("height"),
        r.Number("grow") ?? defaultGrow,
        Math.Clamp(r.Number("opacity") ?? 1, 0, 1));

    private static TextStyle ReadTextStyle(ElementReader r)
    {
        var family = r.Raw("font-family");
        var size = r.Number("font-size");
        if (size is not null && size is <= 0 or > 2000)
        {
            throw r.Bad(new XAttribute("font-size", size.Value), "a size between 0 and 2000 pixels");
        }
        var lineHeight = r.Number("line-height");
        return new TextStyle
        {
            FontFamily = string.IsNullOrWhiteSpace(family) ? null : family.Trim(),
            Size = size,
            Weight = r.Get("font-weight", AttributeValueParser.Weight, "a weight 1–1000 or a name (thin, light, regular, medium, semibold, bold, extrabold, black)"),
            Italic = r.Enum("font-style", FontStyleValues),
            Color = r.Color("color"),
            LineHeight = lineHeight is > 0 ? lineHeight : lineHeight is null ? null : throw r.Bad(new XAttribute("line-height", lineHeight.Value), "a positive factor"),
            LetterSpacing = r.Number("letter-spacing"),
            Align = r.Enum("text-align", TextAlignValues),
            FontVariations = r.Raw("font-variations"),
            Direction = r.Enum("dir", WritingDirectionValues),
            KeepAll = r.Enum("word-break", WordBreakValues),
        };
    }

    private static double? PositiveOrNull(ElementReader r, XElement element, string name)
    {
        var v = r.Number(name);
        return v is null or > 0 ? v : throw r.Bad(element.Attribute(name)!, "a positive number");
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static string StripPosition(string message) => PositionSuffix().Replace(message, string.Empty);

    /// <summary>The two XML errors templates make most, in words about the card's elements; others as .NET says them.</summary>
    private static string InOurWords(string message)
    {
        if (MismatchedTag().Match(message) is { Success: true } mismatch)
        {
            return $"<{mismatch.Groups[1].Value}> is closed by </{mismatch.Groups[2].Value}> (close it with </{mismatch.Groups[1].Value}>)";
        }
        if (UnclosedElements().Match(message) is { Success: true } unclosed)
        {
            var open = unclosed.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return $"the markup ends with {string.Join(", ", open.Reverse().Select(e => $"<{e}>"))} still open (a closing tag is missing, or written inside an 'if' that was false)";
        }
        return message;
    }

    [GeneratedRegex(@"^The '([^']+)' start tag on line \d+ position \d+ does not match the end tag of '([^']+)'\.?$")]
    private static partial Regex MismatchedTag();

    [GeneratedRegex(@"^Unexpected end of file has occurred\. The following elements are not closed: ([^.]+)\.?$")]
    private static partial Regex UnclosedElements();

    [GeneratedRegex(@"\s+")]
    private static partial Regex CollapseWhitespace();

    [GeneratedRegex(@"\s*Line \d+, position \d+\.?$")]
    private static partial Regex PositionSuffix();

    /// <summary>An error located in the rendered card markup (mapped to the template later).</summary>
    private static BuildInputException AtMarkup(string code, string message, MarkupPosition at) =>
        BuildInputException.Error(code, message, null, at.Line, at.Column);
}
