using System.Xml;
using System.Xml.Linq;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Markup;

/// <summary>Reads one element's attributes as typed values; a bad value is a located error.</summary>
internal sealed class ElementReader
{
    private readonly XElement _element;

    internal ElementReader(XElement element)
    {
        _element = element;
        Name = element.Name.LocalName;
    }

    internal string Name { get; }

    internal MarkupPosition Position => PositionOf(_element);

    internal static MarkupPosition PositionOf(XObject node) =>
        node is IXmlLineInfo info && info.HasLineInfo() ? new MarkupPosition(info.LineNumber, info.LinePosition) : default;

    internal string? Raw(string name) => _element.Attribute(name)?.Value;

    internal T? Get<T>(string name, Func<string, T?> parse, string expected)
        where T : struct
    {
        var attribute = _element.Attribute(name);
        if (attribute is null)
        {
            return null;
        }
        return parse(attribute.Value) ?? throw Bad(attribute, expected);
    }

    internal T? GetRef<T>(string name, Func<string, T?> parse, string expected)
        where T : class
    {
        var attribute = _element.Attribute(name);
        if (attribute is null)
        {
            return null;
        }
        return parse(attribute.Value) ?? throw Bad(attribute, expected);
    }

    internal TEnum? Enum<TEnum>(string name, IReadOnlyDictionary<string, TEnum> values)
        where TEnum : struct
    {
        var attribute = _element.Attribute(name);
        if (attribute is null)
        {
            return null;
        }
        return values.TryGetValue(attribute.Value.Trim().ToLowerInvariant(), out var v)
            ? v
            : throw Bad(attribute, "one of " + string.Join(", ", values.Keys));
    }

    internal double? Number(string name) => Get(name, AttributeValueParser.Number, "a number");

    internal Length? Length(string name) => Get(name, AttributeValueParser.Length, "a number of pixels or a percentage");

    internal Paint? Paint(string name) => GetRef(name, AttributeValueParser.Paint, "a colour (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba(), hsl(), a CSS colour name) or a linear-gradient()/radial-gradient()");

    internal Rgba? Color(string name) => Get(name, s => ColorParser.TryParse(s, out var c) ? c : (Rgba?)null, "a colour (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba(), hsl() or a CSS colour name)");

    internal Shadow? Shadow(string name) => GetRef(name, AttributeValueParser.Shadow, "a shadow: offset-x offset-y [blur] colour, e.g. \"0 8 24 rgba(0,0,0,0.35)\"");

    internal bool? Bool(string name) => Get(name, AttributeValueParser.Bool, "true or false");

    internal BuildInputException Bad(XAttribute attribute, string expected)
    {
        var p = PositionOf(attribute);
        return BuildInputException.For(new Diagnostic(
            DiagnosticSeverity.Error,
            DiagnosticCodes.BadAttributeValue,
            $"attribute '{attribute.Name.LocalName}' of <{Name}> has the value '{attribute.Value}', which is not {expected}",
            Line: p.Line,
            Column: p.Column));
    }
}
