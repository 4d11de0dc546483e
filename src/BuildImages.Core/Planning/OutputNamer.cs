using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Templates;
using HandlebarsDotNet;

namespace BuildImages.Core.Planning;

/// <summary>Expands a job's <c>output</c> and <c>alt</c> patterns over an item's fields.</summary>
internal sealed class OutputNamer
{
    private readonly HandlebarsTemplate<object, object> _output;
    private readonly HandlebarsTemplate<object, object>? _alt;

    /// <param name="job">The job whose patterns to compile.</param>
    /// <param name="configFile">Names the file in a pattern's syntax error.</param>
    internal OutputNamer(JobConfig job, string configFile)
    {
        // Compiled here rather than when the configuration loads: compiling costs a fresh process a few hundred
        // milliseconds, which a build that turns out to be up to date never pays.
        var paths = Handlebars.Create(new HandlebarsConfiguration { TextEncoder = new PathSegmentEncoder() });
        CardHelpers.Register(paths, System.Globalization.CultureInfo.InvariantCulture);
        _output = Compile(paths, job.Output, "output", job.OutputLocation, configFile);
        if (job.Alt is not null)
        {
            var plain = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
            CardHelpers.Register(plain, System.Globalization.CultureInfo.InvariantCulture);
            _alt = Compile(plain, job.Alt, "alt", job.AltLocation, configFile);
        }
    }

    private static HandlebarsTemplate<object, object> Compile(IHandlebars handlebars, string pattern, string name, JsonLocation at, string configFile)
    {
        try
        {
            return handlebars.Compile(pattern);
        }
        catch (HandlebarsException ex)
        {
            throw CardException.Error(DiagnosticCodes.OutputPattern, $"'{name}' is not a valid pattern: {ex.Message}", configFile, at.Line, at.Column);
        }
    }

    /// <summary>The output path without extension, or the reason it is not allowed.</summary>
    internal (string? Path, string? Problem) Output(IReadOnlyDictionary<string, object?> fields)
    {
        string expanded;
        try
        {
            expanded = _output(fields);
        }
        catch (HandlebarsException ex)
        {
            return (null, "the output pattern failed: " + ex.Message);
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
                return _alt(fields).Trim();
            }
            catch (HandlebarsException)
            {
                return null;
            }
        }
        return fields.TryGetValue("title", out var title) ? Convert.ToString(title, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
