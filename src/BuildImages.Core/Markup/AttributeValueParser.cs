using System.Globalization;

namespace BuildImages.Core.Markup;

/// <summary>Parses attribute values; each method returns null when the text is not of its form.</summary>
internal static class AttributeValueParser
{
    internal static double? Number(string s) =>
        double.TryParse(s.Trim().Replace("px", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    internal static Length? Length(string s)
    {
        var t = s.Trim();
        if (t.EndsWith('%'))
        {
            return Number(t[..^1]) is { } p ? new Length(p, true) : null;
        }
        return Number(t) is { } v ? new Length(v, false) : null;
    }

    internal static double[]? Numbers(string s, int min, int max)
    {
        var parts = s.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < min || parts.Length > max)
        {
            return null;
        }
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (Number(parts[i]) is not { } v)
            {
                return null;
            }
            values[i] = v;
        }
        return values;
    }

    internal static Thickness? Thickness(string s) => Numbers(s, 1, 4) switch
    {
        [var a] => new Thickness(a, a, a, a),
        [var v, var h] => new Thickness(v, h, v, h),
        [var t, var h, var b] => new Thickness(t, h, b, h),
        [var t, var r, var b, var l] => new Thickness(t, r, b, l),
        _ => null,
    };

    internal static Corners? Corners(string s) => Numbers(s, 1, 4) switch
    {
        [var a] => new Corners(a, a, a, a),
        [var a, var b] => new Corners(a, b, a, b),
        [var a, var b, var c] => new Corners(a, b, c, b),
        [var a, var b, var c, var d] => new Corners(a, b, c, d),
        _ => null,
    };

    internal static bool? Bool(string s) => s.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "1" or "" => true,
        "false" or "no" or "0" => false,
        _ => null,
    };

    internal static int? Weight(string s)
    {
        var t = s.Trim().ToLowerInvariant().Replace("-", string.Empty, StringComparison.Ordinal);
        if (int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n is >= 1 and <= 1000 ? n : null;
        }
        return t switch
        {
            "thin" or "hairline" => 100,
            "extralight" or "ultralight" => 200,
            "light" => 300,
            "normal" or "regular" => 400,
            "medium" => 500,
            "semibold" or "demibold" => 600,
            "bold" => 700,
            "extrabold" or "ultrabold" => 800,
            "black" or "heavy" => 900,
            _ => null,
        };
    }

    /// <summary>CSS box-shadow order: offset-x offset-y [blur] colour.</summary>
    internal static Shadow? Shadow(string s)
    {
        var parts = SplitTopLevel(s.Trim(), ' ');
        if (parts.Count < 3)
        {
            return null;
        }
        var colorText = string.Join(' ', parts.Skip(parts.Count == 3 ? 2 : 3));
        var x = Number(parts[0]);
        var y = Number(parts[1]);
        var blur = parts.Count == 3 ? 0 : Number(parts[2]);
        if (x is null || y is null || blur is null or < 0 || !ColorParser.TryParse(colorText, out var color))
        {
            return null;
        }
        return new Shadow(x.Value, y.Value, blur.Value, color);
    }

    internal static Paint? Paint(string s)
    {
        var t = s.Trim();
        if (t.StartsWith("linear-gradient(", StringComparison.OrdinalIgnoreCase) && t.EndsWith(')'))
        {
            return LinearGradient(t["linear-gradient(".Length..^1]);
        }
        if (t.StartsWith("radial-gradient(", StringComparison.OrdinalIgnoreCase) && t.EndsWith(')'))
        {
            return RadialGradient(t["radial-gradient(".Length..^1]);
        }
        return ColorParser.TryParse(t, out var c) ? new SolidPaint(c) : null;
    }

    private static LinearGradientPaint? LinearGradient(string body)
    {
        var parts = SplitTopLevel(body, ',');
        var angle = 180.0;
        var first = parts.Count > 0 ? parts[0].Trim().ToLowerInvariant() : string.Empty;
        if (Angle(first) is { } a)
        {
            angle = a;
            parts.RemoveAt(0);
        }
        else if (first.StartsWith("to ", StringComparison.Ordinal))
        {
            var dir = first[3..].Split(' ', StringSplitOptions.RemoveEmptyEntries).OrderBy(w => w, StringComparer.Ordinal).ToArray();
            double? side = string.Join(' ', dir) switch
            {
                "top" => 0, "right" => 90, "bottom" => 180, "left" => 270,
                "right top" => 45, "bottom right" => 135, "bottom left" => 225, "left top" => 315,
                _ => null,
            };
            if (side is null)
            {
                return null;
            }
            angle = side.Value;
            parts.RemoveAt(0);
        }
        return Stops(parts) is { } stops ? new LinearGradientPaint(angle, stops) : null;
    }

    private static RadialGradientPaint? RadialGradient(string body)
    {
        var parts = SplitTopLevel(body, ',');
        double cx = 0.5, cy = 0.5;
        var first = parts.Count > 0 ? parts[0].Trim().ToLowerInvariant() : string.Empty;
        if (first.StartsWith("circle", StringComparison.Ordinal) || first.StartsWith("ellipse", StringComparison.Ordinal) || first.StartsWith("at ", StringComparison.Ordinal))
        {
            var at = first.IndexOf("at ", StringComparison.Ordinal);
            if (at >= 0)
            {
                var pos = first[(at + 3)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (pos.Length != 2 || Length(pos[0]) is not { IsPercent: true } px || Length(pos[1]) is not { IsPercent: true } py)
                {
                    return null;
                }
                cx = px.Value / 100;
                cy = py.Value / 100;
            }
            parts.RemoveAt(0);
        }
        return Stops(parts) is { } stops ? new RadialGradientPaint(cx, cy, stops) : null;
    }

    private static GradientStop[]? Stops(List<string> parts)
    {
        if (parts.Count < 2)
        {
            return null;
        }
        var stops = new (Rgba Color, double? Offset)[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            var words = SplitTopLevel(parts[i].Trim(), ' ');
            double? offset = null;
            if (words.Count > 1 && Length(words[^1]) is { IsPercent: true } p)
            {
                offset = p.Value / 100;
                words.RemoveAt(words.Count - 1);
            }
            if (!ColorParser.TryParse(string.Join(' ', words), out var color))
            {
                return null;
            }
            stops[i] = (color, offset);
        }
        // CSS: a missing first/last offset is 0/1; others are spread evenly between known neighbours.
        stops[0].Offset ??= 0;
        stops[^1].Offset ??= 1;
        for (var i = 1; i < stops.Length - 1; i++)
        {
            if (stops[i].Offset is null)
            {
                var next = i + 1;
                while (stops[next].Offset is null)
                {
                    next++;
                }
                var from = stops[i - 1].Offset!.Value;
                stops[i].Offset = from + ((stops[next].Offset!.Value - from) / (next - i + 1));
            }
        }
        return stops.Select(s => new GradientStop(Math.Clamp(s.Offset!.Value, 0, 1), s.Color)).ToArray();
    }

    private static double? Angle(string s)
    {
        if (s.EndsWith("deg", StringComparison.Ordinal))
        {
            return Number(s[..^3]);
        }
        if (s.EndsWith("turn", StringComparison.Ordinal))
        {
            return Number(s[..^4]) * 360;
        }
        if (s.EndsWith("rad", StringComparison.Ordinal))
        {
            return Number(s[..^3]) * 180 / Math.PI;
        }
        return null;
    }

    /// <summary>Splits on a separator outside parentheses (so rgba(…) stays whole).</summary>
    internal static List<string> SplitTopLevel(string s, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            switch (s[i])
            {
                case '(': depth++; break;
                case ')': depth--; break;
                default:
                    if (s[i] == separator && depth == 0)
                    {
                        if (i > start)
                        {
                            parts.Add(s[start..i]);
                        }
                        start = i + 1;
                    }
                    break;
            }
        }
        if (start < s.Length)
        {
            parts.Add(s[start..]);
        }
        return parts.Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
    }
}
