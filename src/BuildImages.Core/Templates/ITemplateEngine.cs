using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Templates;

/// <summary>
/// The seam between the card pipeline and the template language: compile a template (its main file, under its
/// roots), evaluate it for one item under limits, report the source files it read and locate errors. One
/// implementation, on Scriban (<c>card.sbn</c>, and Liquid for <c>card.liquid</c>); nothing outside this folder
/// knows which engine runs.
/// </summary>
public interface ITemplateEngine
{
    TemplateOptions Options { get; }

    /// <summary>Compiles (or returns the cached compilation of) a template; throws <see cref="BuildInputException"/> located in its source.</summary>
    ICardTemplate Compile(TemplateDefinition definition);
}

/// <summary>A compiled template: evaluates items to card markup.</summary>
public interface ICardTemplate
{
    TemplateDefinition Definition { get; }

    /// <summary>Evaluates for one item at one size; throws <see cref="BuildInputException"/> located in the template or an include.</summary>
    TemplateOutput Evaluate(IReadOnlyDictionary<string, object?> item, CardSize size);
}

/// <summary>The markup an evaluation produced, every template file it read, and where each part of the markup came from.</summary>
public sealed class TemplateOutput(string markup, IReadOnlyList<string> sourceFiles, MarkupSourceMap map, string mainFile)
{
    public string Markup => markup;

    /// <summary>The main file and every include the evaluation read (their bytes decide outputs).</summary>
    public IReadOnlyList<string> SourceFiles => sourceFiles;

    /// <summary>An error located in the markup, located instead at the template span that wrote that part of it.</summary>
    public Diagnostic Locate(Diagnostic markupError)
    {
        if (markupError.File is not null || markupError.Line <= 0)
        {
            return markupError with { File = markupError.File ?? mainFile };
        }
        var suffix = $" (card markup line {markupError.Line}, column {markupError.Column})";
        var offset = TemplateText.OffsetOf(markup, markupError.Line, markupError.Column);
        return map.Find(offset) is { } at
            ? markupError with { File = at.File, Line = at.Line, Column = at.Column, Message = markupError.Message + suffix }
            : markupError with { File = mainFile, Line = 0, Column = 0, Message = markupError.Message + suffix };
    }
}
