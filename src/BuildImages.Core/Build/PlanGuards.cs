using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>Cards taken out of a plan before anything is written, each with an error naming why.</summary>
internal static class PlanGuards
{
    /// <summary>
    /// A source is never a write target: an item whose output would be one of this build's data files, photos or its
    /// configuration (an output pattern into the content folder, a photo job over its own folder) fails, with nothing written.
    /// </summary>
    internal static BuildPlan WithoutSourceTargets(BuildConfig config, BuildPlan plan)
    {
        // Only sources inside the output folder can be a target: every planned output's path was checked to stay in it
        // (an unsafe one is a planning error). A folder of a million posts outside it was a set of a million paths (a heap
        // dump of a million-post edit: 86 MB of strings and 22 MB of entries), and every output's full path made, for no match.
        var root = Path.GetFullPath(config.OutputDirectory);
        root = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        var sources = plan.Items.Select(c => c.Item.SourceFile).Where(f => !f.StartsWith('<')).Append(config.ConfigFile)
            .Select(Path.GetFullPath).Where(f => f.StartsWith(root, StringComparison.OrdinalIgnoreCase)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (sources.Count == 0)
        {
            return plan;
        }
        return plan.Without(card => card.Variants.Select(v => Path.GetFullPath(Path.Combine(config.OutputDirectory, v.Path))).FirstOrDefault(sources.Contains) is { } target
            ? new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.OutputOverSource,
                $"item '{card.Item.Id}' would write {target}, which is a source of this build; BuildImages never overwrites a source (change the output pattern or outputDir)",
                card.Item.SourceFile, card.Item.Line, 0, card.Name)
            : null);
    }

    /// <summary>
    /// Items given alone (a hook, <c>render --data</c>) are planned without the rest of their job, so two ids whose outputs
    /// are one file (slugs <c>col/x</c> and <c>col-x</c>) meet only here: an output recorded for another item of the job is
    /// an error naming both, and the recorded card stays, as two items of one data file would be.
    /// </summary>
    internal static BuildPlan WithoutTakenOutputs(BuildPlan plan, ManifestSession manifest) =>
        plan.Without(card => manifest.Records.TryGetValue(card.RecordKey, out var owner) && owner.Item != card.Item.Id
            ? new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.OutputCollision,
                $"item '{card.Item.Id}' would write '{card.Output}', which is item '{owner.Item}''s of job '{card.Job.Name}'; unpublish '{owner.Item}' first, or give the items slugs that make distinct names",
                card.Item.SourceFile, card.Item.Line, 0, card.Name)
            : null);
}
