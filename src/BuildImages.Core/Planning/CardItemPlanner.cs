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
internal sealed class CardItemPlanner : IItemSink
{
    private readonly JobConfig _job;
    private readonly string _templateKey;
    private readonly CardSize _size;
    private readonly string _settings;
    private readonly OutputNamer _namer;
    private readonly FieldStore? _fieldStore;
    private readonly PlannedItemList _cards;
    private readonly int _look;
    private readonly DiagnosticList _problems;
    private (int Cards, int Problems) _fileStart;

    /// <param name="job">The job.</param>
    /// <param name="template">Its template.</param>
    /// <param name="templateKey">The template's main file key.</param>
    /// <param name="size">The card size.</param>
    /// <param name="settings">The settings every card's key holds.</param>
    /// <param name="variants">The job's variant shapes.</param>
    /// <param name="namer">Names the items' outputs and alt texts.</param>
    /// <param name="fieldStore">Where the cards' fields are kept (null: held as read).</param>
    /// <param name="cards">The plan's items, which the job's cards are added to (as rows of the job's look).</param>
    /// <param name="problems">The plan's problems: the items' problems are kept in a sibling of it (<see cref="Problems"/>), added to it by the caller.</param>
    internal CardItemPlanner(JobConfig job, TemplateDefinition template, string templateKey, CardSize size, string settings, PlannedVariant[] variants, OutputNamer namer, FieldStore? fieldStore, PlannedItemList cards, DiagnosticList problems)
    {
        (_job, _templateKey, _size, _settings, _namer, _fieldStore, _cards, _problems) = (job, templateKey, size, settings, namer, fieldStore, cards, problems.Sibling());
        _look = cards.AddLook(new PlannedItemList.CardLook(job, template, templateKey, size, variants, namer, fieldStore));
    }

    /// <summary>The items' problems (a value too large, an unsafe output path), in the items' order.</summary>
    internal DiagnosticList Problems => _problems;

    public void StartFile() => _fileStart = (_cards.Count, _problems.Count);

    public void DropFile()
    {
        _cards.Truncate(_fileStart.Cards);
        _problems.Truncate(_fileStart.Problems);
    }

    public void Take(IReadOnlyList<DataItem> items)
    {
        var results = new (Planned? Card, Diagnostic? Problem)[items.Count];
        if (items.Count == 1)
        {
            // A Markdown file's one item: a parallel loop costs more than the item.
            results[0] = Plan(items[0]);
        }
        else
        {
            Parallel.For(0, items.Count, i => results[i] = Plan(items[i]));
        }
        foreach (var (card, problem) in results)
        {
            if (card is { } planned)
            {
                _cards.AddCard(_look, planned.Item, planned.Output, planned.PreKey);
            }
            if (problem is not null)
            {
                _problems.Add(problem);
            }
        }
    }

    private (Planned? Card, Diagnostic? Problem) Plan(DataItem given)
    {
        var (fields, tooLarge) = ItemValueLimits.Measure(given.Fields);
        var item = ReferenceEquals(fields, given.Fields) ? given : given with { Fields = fields };
        if (tooLarge is not null)
        {
            return (null, new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.FieldTooLarge, $"job '{_job.Name}': {tooLarge}", item.SourceFile, item.Line, 0, $"{_job.Name}/{item.Id}"));
        }
        var (output, problem) = _namer.Output(item.Fields);
        if (output is null)
        {
            return (null, new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.UnsafeOutputPath, $"job '{_job.Name}': output path: {problem}", item.SourceFile, item.Line, 0, $"{_job.Name}/{item.Id}"));
        }
        var preKey = ContentHash.OfParts(_templateKey, _size.ToString(), _settings, CanonicalData.Hash(item.Fields));
        // Planned: the fields are read again only to render or record the card, and the alt text made from them then.
        return (new Planned(_fieldStore?.Keep(item) ?? item, output, preKey), null);
    }

    /// <summary>A card as planned in parallel, before it is added in order.</summary>
    private readonly record struct Planned(DataItem Item, string Output, string PreKey);
}
