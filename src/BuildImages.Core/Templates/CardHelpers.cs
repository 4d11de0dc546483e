using System.Globalization;
using System.Text;
using HandlebarsDotNet;

namespace BuildImages.Core.Templates;

/// <summary>
/// Helpers for cards: formatDate, truncate, upper, lower, titleCase, slugify, formatNumber, default, join, initials,
/// eq/ne/gt/lt, and, or, not, first, limit, count. Names avoid common field names: a helper shadows a field of the same name. Documented in templates/README.md.
/// </summary>
internal static class CardHelpers
{
    internal static void Register(IHandlebars hb, CultureInfo defaultCulture)
    {
        CultureInfo Culture(Arguments args, int index)
        {
            if (args.Length > index && args[index] is string name && name.Length > 0)
            {
                try
                {
                    return CultureInfo.GetCultureInfo(name);
                }
                catch (CultureNotFoundException)
                {
                    throw new HandlebarsException($"unknown culture '{name}'");
                }
            }
            return defaultCulture;
        }

        hb.RegisterHelper("formatDate", (in HelperOptions _, in Context __, in Arguments args) =>
        {
            var value = Arg(args, 0);
            if (value is null)
            {
                return string.Empty;
            }
            var culture = Culture(args, 2);
            var format = args.Length > 1 && args[1] is string f && f.Length > 0 ? f : "MMMM d, yyyy";
            DateTimeOffset date;
            if (value is DateTimeOffset dto)
            {
                date = dto;
            }
            else if (value is DateTime dt)
            {
                date = new DateTimeOffset(dt, TimeSpan.Zero);
            }
            else if (!DateTimeOffset.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
            {
                throw new HandlebarsException($"formatDate: '{value}' is not a date");
            }
            return date.ToString(format, culture);
        });
        hb.RegisterHelper("truncate", (in HelperOptions _, in Context __, in Arguments args) =>
        {
            var text = Text(args, 0);
            var max = args.Length > 1 ? Convert.ToInt32(args[1], CultureInfo.InvariantCulture) : 100;
            var suffix = args.Length > 2 && args[2] is string s ? s : "…";
            return Truncate(text, max, suffix);
        });
        hb.RegisterHelper("upper", (in HelperOptions _, in Context __, in Arguments args) => Text(args, 0).ToUpper(Culture(args, 1)));
        hb.RegisterHelper("lower", (in HelperOptions _, in Context __, in Arguments args) => Text(args, 0).ToLower(Culture(args, 1)));
        hb.RegisterHelper("titleCase", (in HelperOptions _, in Context __, in Arguments args) => Culture(args, 1).TextInfo.ToTitleCase(Text(args, 0)));
        hb.RegisterHelper("slugify", (in HelperOptions _, in Context __, in Arguments args) => Slug.Make(Text(args, 0)));
        hb.RegisterHelper("formatNumber", (in HelperOptions _, in Context __, in Arguments args) =>
        {
            var value = Arg(args, 0);
            if (value is null)
            {
                return string.Empty;
            }
            var format = args.Length > 1 && args[1] is string f && f.Length > 0 ? f : "N0";
            var d = Convert.ToDecimal(value is string str ? decimal.Parse(str, CultureInfo.InvariantCulture) : value, CultureInfo.InvariantCulture);
            return d.ToString(format, Culture(args, 2));
        });
        hb.RegisterHelper("default", (in HelperOptions _, in Context __, in Arguments args) =>
        {
            var value = Arg(args, 0);
            return value is null || (value is string s && s.Length == 0) ? Arg(args, 1) : value;
        });
        hb.RegisterHelper("join", (in HelperOptions _, in Context __, in Arguments args) =>
            Arg(args, 0) is IEnumerable<object?> items ? string.Join(args.Length > 1 ? Text(args, 1) : ", ", items.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture))) : Text(args, 0));
        hb.RegisterHelper("initials", (in HelperOptions _, in Context __, in Arguments args) =>
            string.Concat(Text(args, 0).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(w => char.ToUpper(w[0], defaultCulture))));
        hb.RegisterHelper("first", (in HelperOptions _, in Context __, in Arguments args) =>
            Arg(args, 0) is IEnumerable<object?> items ? items.FirstOrDefault() : Arg(args, 0));
        hb.RegisterHelper("limit", (in HelperOptions _, in Context __, in Arguments args) =>
            Arg(args, 0) is IEnumerable<object?> items ? items.Take(Convert.ToInt32(args[1], CultureInfo.InvariantCulture)).ToList() : Arg(args, 0));
        hb.RegisterHelper("eq", (in HelperOptions _, in Context __, in Arguments args) => Equals(Normalize(Arg(args, 0)), Normalize(Arg(args, 1))));
        hb.RegisterHelper("ne", (in HelperOptions _, in Context __, in Arguments args) => !Equals(Normalize(Arg(args, 0)), Normalize(Arg(args, 1))));
        hb.RegisterHelper("gt", (in HelperOptions _, in Context __, in Arguments args) => Number(Arg(args, 0)) > Number(Arg(args, 1)));
        hb.RegisterHelper("lt", (in HelperOptions _, in Context __, in Arguments args) => Number(Arg(args, 0)) < Number(Arg(args, 1)));
        hb.RegisterHelper("and", (in HelperOptions _, in Context __, in Arguments args) => All(args.ToArray(), true));
        hb.RegisterHelper("or", (in HelperOptions _, in Context __, in Arguments args) => !All(args.ToArray(), false));
        hb.RegisterHelper("not", (in HelperOptions _, in Context __, in Arguments args) => !Truthy(Arg(args, 0)));
        hb.RegisterHelper("count", (in HelperOptions _, in Context __, in Arguments args) => Arg(args, 0) switch
        {
            string s => new StringInfo(s).LengthInTextElements,
            IEnumerable<object?> e => e.Count(),
            _ => 0,
        });
    }

    /// <summary>Truncates by text elements (a flag or a ZWJ emoji is never cut in half), at a word break when one is in the second half.</summary>
    internal static string Truncate(string text, int max, string suffix)
    {
        var info = new StringInfo(text);
        if (info.LengthInTextElements <= max)
        {
            return text;
        }
        var cut = info.SubstringByTextElements(0, Math.Max(0, max));
        var space = cut.LastIndexOf(' ');
        if (space > cut.Length / 2)
        {
            cut = cut[..space];
        }
        return cut.TrimEnd(' ', ',', '.', ';', ':', '-') + suffix;
    }

    private static object? Arg(Arguments args, int index)
    {
        if (args.Length <= index)
        {
            return null;
        }
        var v = args[index];
        return v is UndefinedBindingResult ? null : v;
    }

    private static string Text(Arguments args, int index) => Convert.ToString(Arg(args, index), CultureInfo.InvariantCulture) ?? string.Empty;

    private static object? Normalize(object? v) => v switch
    {
        int or long or double or decimal or float => Convert.ToDecimal(v, CultureInfo.InvariantCulture),
        _ => v,
    };

    private static decimal Number(object? v) => v is null ? 0 : Convert.ToDecimal(v is string s ? decimal.Parse(s, CultureInfo.InvariantCulture) : v, CultureInfo.InvariantCulture);

    private static bool All(object?[] values, bool expected) => values.All(v => Truthy(v) == expected);

    private static bool Truthy(object? v) => v switch
    {
        null or UndefinedBindingResult => false,
        bool b => b,
        string s => s.Length > 0,
        int i => i != 0,
        long l => l != 0,
        double d => d != 0,
        IEnumerable<object?> e => e.Any(),
        _ => true,
    };
}
