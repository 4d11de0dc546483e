using System.Globalization;

namespace BuildImages.Core.Markup;

/// <summary>Parses CSS colours: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb()/rgba(), hsl()/hsla(), named colours and <c>transparent</c>.</summary>
internal static class ColorParser
{
    public static bool TryParse(string text, out Rgba color)
    {
        color = default;
        var s = text.Trim().ToLowerInvariant();
        if (s.Length == 0)
        {
            return false;
        }
        if (s[0] == '#')
        {
            return TryParseHex(s.AsSpan(1), out color);
        }
        if (s.StartsWith("rgb", StringComparison.Ordinal))
        {
            return TryParseFunction(s, "rgb", out color);
        }
        if (s.StartsWith("hsl", StringComparison.Ordinal))
        {
            return TryParseFunction(s, "hsl", out color);
        }
        if (s == "transparent")
        {
            color = Rgba.Transparent;
            return true;
        }
        if (NamedColors.Table.TryGetValue(s, out var rgb))
        {
            color = new Rgba(((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0, 1);
            return true;
        }
        return false;
    }

    private static bool TryParseHex(ReadOnlySpan<char> hex, out Rgba color)
    {
        color = default;
        if (!uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
        {
            return false;
        }
        switch (hex.Length)
        {
            case 3:
                color = new Rgba(((v >> 8) & 0xf) * 17 / 255.0, ((v >> 4) & 0xf) * 17 / 255.0, (v & 0xf) * 17 / 255.0, 1);
                return true;
            case 4:
                color = new Rgba(((v >> 12) & 0xf) * 17 / 255.0, ((v >> 8) & 0xf) * 17 / 255.0, ((v >> 4) & 0xf) * 17 / 255.0, (v & 0xf) * 17 / 255.0);
                return true;
            case 6:
                color = new Rgba(((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0, 1);
                return true;
            case 8:
                color = new Rgba(((v >> 24) & 0xff) / 255.0, ((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0);
                return true;
            default:
                return false;
        }
    }

    private static bool TryParseFunction(string s, string kind, out Rgba color)
    {
        color = default;
        var open = s.IndexOf('(', StringComparison.Ordinal);
        if (open < 0 || !s.EndsWith(')'))
        {
            return false;
        }
        var name = s[..open].Trim();
        if (name != kind && name != kind + "a")
        {
            return false;
        }
        var parts = s[(open + 1)..^1].Split([',', ' ', '/'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 3 or > 4)
        {
            return false;
        }
        var values = new double[4];
        values[3] = 1;
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            var percent = p.EndsWith('%');
            if (kind == "hsl" && i == 0)
            {
                p = p.Replace("deg", string.Empty, StringComparison.Ordinal);
            }
            if (!double.TryParse(percent ? p[..^1] : p, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }
            values[i] = (kind, i, percent) switch
            {
                (_, 3, true) => n / 100,
                (_, 3, false) => n,
                ("rgb", _, true) => n / 100,
                ("rgb", _, false) => n / 255,
                ("hsl", 0, _) => n,
                ("hsl", _, _) => n / 100,
                _ => n,
            };
        }
        if (kind == "hsl")
        {
            var (r, g, b) = HslToRgb(values[0], values[1], values[2]);
            values[0] = r;
            values[1] = g;
            values[2] = b;
        }
        color = new Rgba(Math.Clamp(values[0], 0, 1), Math.Clamp(values[1], 0, 1), Math.Clamp(values[2], 0, 1), Math.Clamp(values[3], 0, 1));
        return true;
    }

    private static (double R, double G, double B) HslToRgb(double h, double s, double l)
    {
        h = ((h % 360) + 360) % 360 / 360;
        s = Math.Clamp(s, 0, 1);
        l = Math.Clamp(l, 0, 1);
        if (s == 0)
        {
            return (l, l, l);
        }
        var q = l < 0.5 ? l * (1 + s) : l + s - (l * s);
        var p = (2 * l) - q;
        return (Hue(p, q, h + (1 / 3.0)), Hue(p, q, h), Hue(p, q, h - (1 / 3.0)));
    }

    private static double Hue(double p, double q, double t)
    {
        if (t < 0) t += 1;
        if (t > 1) t -= 1;
        if (t < 1 / 6.0) return p + ((q - p) * 6 * t);
        if (t < 1 / 2.0) return q;
        if (t < 2 / 3.0) return p + ((q - p) * ((2 / 3.0) - t) * 6);
        return p;
    }
}
