using System.Diagnostics;

namespace BuildImages.Tool.Tests;

/// <summary>The same data gives the same card whatever the machine's time zone; the configured zone is part of the key.</summary>
public sealed class TimeZoneTests : IDisposable
{
    private readonly ToolRun _tool = new();

    public void Dispose() => _tool.Dispose();

    private (int Exit, string Out, string Err) RunUnder(string zone, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _tool.Dir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dotnet-build-images.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["TZ"] = zone;
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, err.GetAwaiter().GetResult());
    }

    private void Site(string? timeZone)
    {
        Directory.CreateDirectory(_tool.PathOf("tpl/dated"));
        File.WriteAllText(_tool.PathOf("tpl/dated/card.sbn"), """
            <card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff" color="#000000" font-family="Inter">
              <text font-size="40">{{ date.parse at | date.to_string "%F %R" }} / {{ at | format_date "d MMMM HH:mm" }}</text>
            </card>
            """);
        File.WriteAllText(_tool.PathOf("items.json"), """[ { "slug": "late", "at": "2026-12-03T23:30:00Z" } ]""");
        var zone = timeZone is null ? "" : $"\"timeZone\": \"{timeZone}\",";
        File.WriteAllText(_tool.PathOf("buildimages.json"), $$$"""
            { "outputDir": "out", {{{zone}}} "jobs": [ { "name": "dated", "template": "tpl/dated", "size": "600x100", "data": "items.json", "output": "{{ slug }}", "variants": [ { "format": "png" } ] } ] }
            """);
    }

    [Fact]
    public void ACardDrawingDatesIsTheSameUnderAnyMachineTimeZoneAndTheConfiguredZoneRendersItAgain()
    {
        Site(timeZone: null);
        var utc = RunUnder("UTC", "build");
        Assert.True(utc.Exit == 0, utc.Err);
        var underUtc = File.ReadAllBytes(_tool.PathOf("out/late.png"));

        // Another machine, another zone: the key says current, and a forced render gives the same bytes.
        var elsewhere = RunUnder("Pacific/Kiritimati", "build", "--explain");
        Assert.Equal(0, elsewhere.Exit);
        Assert.Contains("rendered 0", elsewhere.Out, StringComparison.Ordinal);
        var forced = RunUnder("Pacific/Kiritimati", "build", "--force");
        Assert.Equal(0, forced.Exit);
        Assert.Equal(underUtc, File.ReadAllBytes(_tool.PathOf("out/late.png")));

        // The site's own zone is configuration: it changes the key, and the card shows that zone's wall time.
        Site(timeZone: "Pacific/Kiritimati");
        var zoned = RunUnder("UTC", "build", "--explain");
        Assert.Equal(0, zoned.Exit);
        Assert.Contains("rendered 1", zoned.Out, StringComparison.Ordinal);
        Assert.NotEqual(underUtc, File.ReadAllBytes(_tool.PathOf("out/late.png")));
    }

    [Fact]
    public void AnUnknownTimeZoneIsALocatedConfigurationError()
    {
        Site(timeZone: "Mars/Olympus_Mons");
        var run = RunUnder("UTC", "build");
        Assert.Equal(2, run.Exit);
        Assert.Matches(@"buildimages\.json\(\d+,\d+\): error BI0004: 'timeZone' must be an IANA time zone", run.Err);
    }
}
