using BuildImages.Core.Configuration;
using BuildImages.Core.Templates;
using HandlebarsDotNet;

namespace BuildImages.Core.Planning;

/// <summary>Expands a job's <c>output</c> and <c>alt</c> patterns over an item's fields.</summary>
internal sealed class OutputNamer
{
    private readonly HandlebarsTemplate<object, object> _output;
    private readonly HandlebarsTemplate<object, object>? _alt;

    internal OutputNamer(JobConfig job)
    {
        var paths = Handlebars.Create(new HandlebarsConfiguration { TextEncoder = new PathSegmentEncoder() });
        CardHelpers.Register(paths, System.Globalization.CultureInfo.InvariantCulture);
        _output = paths.Compile(job.Output);
        if (job.Alt is not null)
        {
            var plain = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
            CardHelpers.Register(plain, System.Globalization.CultureInfo.InvariantCulture);
            _alt = plain.Compile(job.Alt);
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
