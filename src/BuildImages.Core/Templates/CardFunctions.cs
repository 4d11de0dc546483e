using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace BuildImages.Core.Templates;

/// <summary>
/// The helpers templates get in both syntaxes, beside Scriban's own <c>string.*</c>, <c>array.*</c>, <c>math.*</c>:
/// format_date, shorten (at a word), upper/lower/title_case (culture-correct; ß → SS), slugify, format_number,
/// format_currency, default, initials, raw. Documented in templates/README.md. Functions that read the clock or
/// randomness are refused: a template must be a pure function of its inputs, or keys would lie.
/// </summary>
internal static partial class CardFunctions
{
    private static readonly ConcurrentDictionary<(string Given, string Culture), (string Symbol, string? Code)> CurrencySymbols = new();
    private static readonly ConcurrentDictionary<string, string> LongDates = new(StringComparer.Ordinal);

    /// <summary>Adds the helpers to <paramref name="globals"/> under snake_case names (format_date, shorten, …).</summary>
    internal static void Register(ScriptObject globals) => globals.Import(typeof(CardFunctions));

    public static string FormatDate(TemplateContext context, object? value, string? format = null, string? culture = null) => FormatDate(value, format, Culture(context, culture), SiteDates.ZoneOf(context));

    public static string Shorten(object? text, int length = 100, string suffix = "…") => Shorten(Text(text), length, suffix);

    public static string Upper(TemplateContext context, object? text, string? culture = null) => Upper(Text(text), Culture(context, culture));

    public static string Lower(TemplateContext context, object? text, string? culture = null) => Text(text).ToLower(Culture(context, culture));

    public static string TitleCase(TemplateContext context, object? text, string? culture = null) => Culture(context, culture).TextInfo.ToTitleCase(Text(text));

    public static string Slugify(object? text) => Slug.Make(Text(text));

    public static string FormatNumber(TemplateContext context, object? value, string? format = null, string? culture = null) =>
        value is null ? string.Empty : Number(value).ToString(string.IsNullOrEmpty(format) ? "N0" : format, Culture(context, culture));

    public static string FormatCurrency(TemplateContext context, object? value, string? currency = null, string? culture = null) =>
        value is null ? string.Empty : FormatCurrency(Number(value), currency, Culture(context, culture));

    public static object? Default(object? value, object? fallback = null) => value is null || (value is string s && s.Length == 0) ? fallback : value;

    public static string Initials(TemplateContext context, object? name, int count = 2) =>
        string.Concat(Text(name).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(count).Select(w => w[..(char.IsSurrogatePair(w, 0) ? 2 : 1)].ToUpper(context.CurrentCulture)));

    /// <summary>"rtl" or "ltr" from the text's first strong character: <c>&lt;card dir="{{ text_direction title }}"&gt;</c> mirrors the rows of an Arabic or Hebrew card.</summary>
    public static string TextDirection(object? text) => Layout.TextDirection.Of(Text(text));

    /// <summary>Markup the template author vouches for, written unescaped. Never apply it to item data.</summary>
    public static TrustedMarkup Raw(object? markup) => new(Text(markup));

    private static CultureInfo Culture(TemplateContext context, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return context.CurrentCulture;
        }
        try
        {
            return CultureInfo.GetCultureInfo(name);
        }
        catch (CultureNotFoundException)
        {
            throw new ScriptRuntimeException(context.CurrentSpan, $"unknown culture '{name}'");
        }
    }

    /// <summary>Words every refusal message holds, so the error gets its own code.</summary>
    internal const string RefusedMarker = "is not available in card templates";

    /// <summary>Replaces the built-ins that read the clock or randomness, or evaluate text as code, with refusals that say why.</summary>
    internal static void Refuse(ScriptObject builtins)
    {
        // Scriban shares some built-in objects between contexts (date among them): work on copies, so neither the
        // refusals nor the read-only flag below reach another context, and every card sees the same built-ins.
        foreach (var key in builtins.Keys.ToList())
        {
            if (builtins[key] is ScriptObject shared)
            {
                var copy = (ScriptObject)shared.Clone(true);
                copy.IsReadOnly = false;
                builtins.Remove(key);
                builtins.SetValue(key, copy, true);
            }
        }
        void Deny(string objectName, string member, string why)
        {
            if (builtins[objectName] is ScriptObject target)
            {
                // The built-in is read-only: it must go before its refusal can take its name.
                target.Remove(member);
                target.Import(member, new RefusedCall(new Refusal($"{objectName}.{member} {RefusedMarker}: {why}").Call));
            }
        }
        const string Pure = "a card must be a pure function of its inputs, so that an unchanged output can be skipped by its hash; pass the value in the item's data";
        Deny("date", "now", Pure);
        if (builtins["date"] is ScriptObject dates)
        {
            // Scriban's parse shows an instant in the machine's zone; ours in the configuration's.
            dates.Remove("parse");
            dates.Import("parse", new Func<TemplateContext, string?, DateTime?>((context, text) => SiteDates.Parse(text, SiteDates.ZoneOf(context))));
        }
        Deny("math", "random", Pure);
        Deny("math", "uuid", Pure);
        Deny("object", "eval", "templates do not evaluate text as code");
        Deny("object", "eval_template", "templates do not evaluate text as code");
        // Built-ins are shared by every card a worker (or several) renders: a template may read them, never write
        // them, or a value one card stored (math.x = 1) would be seen by the next.
        foreach (var value in builtins.Values.OfType<ScriptObject>())
        {
            value.IsReadOnly = true;
        }
        builtins.IsReadOnly = true;
    }

    private static string FormatDate(object? value, string? format, CultureInfo culture, TimeZoneInfo zone)
    {
        if (value is null || (value is string e && e.Length == 0))
        {
            return string.Empty;
        }
        var date = SiteDates.Of(value, zone) ?? throw new ScriptRuntimeException(default, $"format_date: '{value}' is not a date");
        // With the zone's own offset: a DateTime would print the machine's for "zzz".
        return new DateTimeOffset(date, zone.GetUtcOffset(date)).ToString(string.IsNullOrEmpty(format) ? LongDateWithoutWeekday(culture) : format, culture);
    }

    /// <summary>
    /// The culture's own long date without the weekday, the default of <c>format_date</c>: "March 4, 2026" in en-US,
    /// "4. März 2026" in de-DE, "2026年3月4日" in ja-JP, each language's order and words.
    /// </summary>
    private static string LongDateWithoutWeekday(CultureInfo culture) =>
        LongDates.GetOrAdd(culture.Name, _ => WeekdayPart().Replace(culture.DateTimeFormat.LongDatePattern, string.Empty).Trim(' ', ',', '،'));

    [System.Text.RegularExpressions.GeneratedRegex(@"[,،]?\s*dddd[^\s,،]*\s*[,،]?\s*")]
    private static partial System.Text.RegularExpressions.Regex WeekdayPart();

    /// <summary>Upper case for the culture, with ß as SS (what German typesetting does; .NET keeps ß).</summary>
    private static string Upper(string text, CultureInfo culture) => text.ToUpper(culture).Replace("ß", "SS", StringComparison.Ordinal);

    /// <summary>Truncates by text elements (a flag or a ZWJ emoji is never cut in half), at a word break when one is in the second half.</summary>
    private static string Shorten(string text, int max, string suffix)
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

    /// <summary>
    /// An amount in a currency given by its ISO 4217 code (as the culture writes amounts, with the currency's own minor
    /// unit: ¥4,980, $34.50, KWD1.250; the culture's own symbol for its own currency, a plain currency sign such as $ or
    /// € for another, else the code), or by a symbol (written as given; the decimals of the one currency that symbol
    /// names, else the culture's).
    /// </summary>
    private static string FormatCurrency(decimal value, string? currency, CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        if (!string.IsNullOrEmpty(currency))
        {
            var (symbol, code) = Currency(currency, culture);
            format.CurrencySymbol = symbol;
            if (code is not null)
            {
                format.CurrencyDecimalDigits = CurrencyMinorUnits.Of(code);
            }
        }
        return value.ToString("C", format);
    }

    /// <summary>
    /// The region of every specific culture this machine's culture data knows. Windows without ICU (national language
    /// support data, as under Wine) lists specific cultures with no region, and some that name one it cannot make:
    /// those are left out rather than failing every card that formats money.
    /// </summary>
    private static readonly Lazy<IReadOnlyList<RegionInfo>> Regions = new(() =>
        [.. CultureInfo.GetCultures(CultureTypes.SpecificCultures).Select(c => RegionOf(c.Name)).OfType<RegionInfo>()]);

    private static RegionInfo? RegionOf(string cultureName)
    {
        if (cultureName.Length == 0)
        {
            return null;
        }
        try
        {
            return new RegionInfo(cultureName);
        }
        catch (ArgumentException)
        {
            // No region for this culture here: it cannot name a currency.
            return null;
        }
    }

    /// <summary>A code or symbol → the symbol to write in <paramref name="culture"/> and the ISO code it stands for (null when a symbol names several currencies or none).</summary>
    private static (string Symbol, string? Code) Currency(string given, CultureInfo culture) => CurrencySymbols.GetOrAdd((given, culture.Name), key =>
    {
        var regions = Regions.Value;
        if (given.Length == 3 && given.All(char.IsAsciiLetter))
        {
            var code = given.ToUpperInvariant();
            if (culture.Name.Length > 0 && !culture.IsNeutralCulture && RegionOf(culture.Name)?.ISOCurrencySymbol == code)
            {
                return (culture.NumberFormat.CurrencySymbol, code);
            }
            // Another culture's symbol only when it is a plain sign ($, €, ¥; a fullwidth ￥ made plain), never words in
            // another script (د.ك.).
            var sign = regions.Where(r => r.ISOCurrencySymbol == code).Select(r => r.CurrencySymbol.Normalize(System.Text.NormalizationForm.FormKC))
                .FirstOrDefault(s => s.All(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol));
            return (sign ?? code, code);
        }
        var codes = regions.Where(r => r.CurrencySymbol == given).Select(r => r.ISOCurrencySymbol).Distinct(StringComparer.Ordinal).ToList();
        return (given, codes.Count == 1 ? codes[0] : null);
    });

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e and not string => string.Join(", ", e.Cast<object?>().Select(Text)),
        _ => value.ToString() ?? string.Empty,
    };

    private static decimal Number(object value)
    {
        try
        {
            return value is string s ? decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) : Convert.ToDecimal(value, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new ScriptRuntimeException(default, $"'{value}' is not a number");
        }
    }

    /// <summary>A refused built-in, whatever arguments it is called with.</summary>
    private sealed class Refusal(string message)
    {
        public object? Call(TemplateContext context, SourceSpan span, params object?[] arguments) => throw new ScriptRuntimeException(span, message);
    }

    private delegate object? RefusedCall(TemplateContext context, SourceSpan span, params object?[] arguments);
}
