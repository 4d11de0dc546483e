using System.Globalization;

namespace BuildImages.Core.Templates;

/// <summary>How templates are evaluated.</summary>
public sealed record TemplateOptions
{
    /// <summary>A variable the item does not have is an error (fields the template declares optional are null).</summary>
    public bool Strict { get; init; }

    /// <summary>Per-item limit on template evaluation.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest markup a template may produce.</summary>
    public int MaxMarkupCharacters { get; init; } = 2_000_000;

    /// <summary>
    /// The zone dates are shown in: <c>date.parse</c> and <c>format_date</c> turn an instant (a value with an offset or Z)
    /// into this zone's wall time, and take a value without one as that wall time. Never the machine's zone.
    /// </summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The culture templates use when none is configured.</summary>
    public static CultureInfo DefaultCulture { get; } = CultureInfo.GetCultureInfo("en-US");

    /// <summary>Default culture for formatDate, number, upper/lower/title.</summary>
    public CultureInfo Culture { get; init; } = DefaultCulture;
}
