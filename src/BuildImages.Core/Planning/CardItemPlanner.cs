using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Planning;

/// <summary>
/// Plans a card job's items as they are read, a block at a time: names each item's outputs, computes its pre-key and
/// keeps its fields in the field store, so that a block's items are garbage once planned. Items of a block are
/// independent (hashing and pattern expansion): they are planned in parallel, in order. The cards and the items'
/// problems of a data file that fails part way are dropped with it.
/// </summary>
internal sealed class CardItemPlanner(JobConfig job, TemplateDefinition template, string templateKey, CardSize size, string settings, PlannedVariant[] variants, OutputNamer namer, FieldStore? fieldStore)
    : IItemSink
{
    private readonly List<PlannedItem> _cards = [];
    private readonly List<Diagnostic> _problems = [];
    private (int Cards, int Problems) _fileStart;

    /// <summary>The job's cards, in the items' order.</summary>
    internal List<PlannedItem> Cards => _cards;

    /// <summary>The items' problems (a value too large, an unsafe output path), in the items' order.</summary>
    internal IReadOnlyList<Diagnostic> Problems => _problems;

    public void StartFile() => _fileStart = (_cards.Count, _problems.Count);

    public void DropFile()
    {
        _cards.RemoveRange(_fileStart.Cards, _cards.Count - _fileStart.Cards);
        _problems.RemoveRange(_fileStart.Problems, _problems.Count - _fileStart.Problems);
    }

    public void Take(IReadOnlyList<DataItem> items)
    {
        var results = new (PlannedCard? Card, Diagnostic? Problem)[items.Count];
        Parallel.For(0, items.Count, i => results[i] = Plan(items[i]));
        foreach (var (card, problem) in results)
        {
            if (card is not null)
            {
                _cards.Add(card);
            }
            if (problem is not null)
            {
                _problems.Add(problem);
            }
        }
    }

    private (PlannedCard? Card, Diagnostic? Problem) Plan(DataItem given)
    {
        var (fields, tooLarge) = ItemValueLimits.Measure(given.Fields);
        var item = ReferenceEquals(fields, given.Fields) ? given : given with { Fields = fields };
        if (tooLarge is not null)
        {
            return (null, new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.FieldTooLarge, $"job '{job.Name}': {tooLarge}", item.SourceFile, item.Line, 0, $"{job.Name}/{item.Id}"));
        }
        var (output, problem) = namer.Output(item.Fields);
        if (output is null)
        {
            return (null, new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.UnsafeOutputPath, $"job '{job.Name}': output path: {problem}", item.SourceFile, item.Line, 0, $"{job.Name}/{item.Id}"));
        }
        var preKey = ContentHash.OfParts(templateKey, size.ToString(), settings, CanonicalData.Hash(item.Fields));
        // Planned: the fields are read again only to render or record the card, and the alt text made from them then.
        return (new PlannedCard(job, template, templateKey, fieldStore?.Keep(item) ?? item, size, output, null, preKey, new ItemVariants(output, variants)) { AltNamer = namer }, null);
    }
}
