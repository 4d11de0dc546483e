using System.Globalization;

namespace BuildImages.Core.Templates;

/// <summary>
/// Dates as templates see them, independent of the machine: a value that names an instant (an offset or Z, as in
/// <c>2026-12-03T23:30:00Z</c>) becomes the wall time of the configured zone; a value without one
/// (<c>2026-12-03</c>, <c>2026-12-03 09:00</c>) is taken as that zone's wall time already, so a date never moves a day.
/// Scriban's own <c>date.parse</c> turns instants into the machine's local time, so a build under another zone gave
/// other pixels for the same key.
/// </summary>
internal static class SiteDates
{
    /// <summary>The wall time in <paramref name="zone"/> (kind Unspecified), or null when the text is not a date.</summary>
    internal static DateTime? Parse(string? text, TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return null;
        }
        // RoundtripKind says only whether the text named an offset (Utc or Local kind) or not (Unspecified); the
        // machine's zone is never used for the value.
        var named = DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var kind) && kind.Kind != DateTimeKind.Unspecified;
        return named ? TimeZoneInfo.ConvertTime(instant, zone).DateTime : DateTime.SpecifyKind(instant.DateTime, DateTimeKind.Unspecified);
    }

    /// <summary>A template value as a wall time in the zone: a date from <see cref="Parse"/> stays as it is.</summary>
    internal static DateTime? Of(object? value, TimeZoneInfo zone) => value switch
    {
        null => null,
        DateTime dt => dt.Kind == DateTimeKind.Unspecified ? dt : TimeZoneInfo.ConvertTime(new DateTimeOffset(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : dt, TimeSpan.Zero), zone).DateTime,
        DateTimeOffset dto => TimeZoneInfo.ConvertTime(dto, zone).DateTime,
        _ => Parse(Convert.ToString(value, CultureInfo.InvariantCulture), zone),
    };

    /// <summary>The zone of a context (the configuration's), UTC for one that has none.</summary>
    internal static TimeZoneInfo ZoneOf(Scriban.TemplateContext context) => context is IZonedContext zoned ? zoned.TimeZone : TimeZoneInfo.Utc;
}
