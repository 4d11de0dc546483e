using BuildImages.Core.Configuration;
using BuildImages.Core.Primitives;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Planning;

/// <summary>Expands a job's <c>output</c> and <c>alt</c> patterns over an item's fields.</summary>
internal sealed class OutputNamer
{
    private readonly PatternTemplate _output;
    private readonly PatternTemplate? _alt;

    /// <param name="job">The job whose patterns to compile.</param>
    /// <param name="zone">The zone dates in the patterns are shown in (the configuration's).</param>
    internal OutputNamer(JobConfig job, TimeZoneInfo zone)
    {
        // Compiled here rather than when the configuration loads, so a build that turns out to be up to date never pays for it.
        _output = PatternTemplate.Compile(job.Output, "output", isPath: true, job.OutputLocation.File, job.OutputLocation.Line, job.OutputLocation.Column, zone);
        if (job.Alt is not null)
        {
            _alt = PatternTemplate.Compile(job.Alt, "alt", isPath: false, job.AltLocation.File, job.AltLocation.Line, job.AltLocation.Column, zone);
        }
    }

    /// <summary>The output path without extension, or the reason it is not allowed.</summary>
    internal (string? Path, string? Problem) Output(IReadOnlyDictionary<string, object?> fields)
    {
        string expanded;
        try
        {
            expanded = _output.Expand(fields);
        }
        catch (Scriban.Syntax.ScriptRuntimeException ex)
        {
            return (null, "the output pattern failed: " + ex.OriginalMessage);
        }
        return OutputPathRules.Check(expanded);
    }

    /// <summary>og:image:alt text: the alt pattern, else the item's title.</summary>
    internal string? Alt(IReadOnlyDictionary<string, object?> fields)
    {
        if (_alt is not null)
        {
            try
            {
                return _alt.Expand(fields).Trim();
            }
            catch (Scriban.Syntax.ScriptRuntimeException)
            {
                return null;
            }
        }
        return fields.TryGetValue("title", out var title) ? Convert.ToString(title, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
