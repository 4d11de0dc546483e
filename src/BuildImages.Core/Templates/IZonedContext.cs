namespace BuildImages.Core.Templates;

/// <summary>A template context that knows the zone its dates are shown in (the configuration's <c>timeZone</c>), so date functions never read the machine's.</summary>
internal interface IZonedContext
{
    TimeZoneInfo TimeZone { get; }
}
