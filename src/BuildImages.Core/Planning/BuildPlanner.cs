using System.Collections;
using System.Globalization;
using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Encoders;
using BuildImages.Core.Primitives;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Planning;

/// <summary>
/// Configuration → cards: loads each job's items, names their outputs, computes each card's pre-key.
/// A bad job stops the build (thrown); a data file that is missing or malformed, or a bad item, only drops its
/// items (a problem) and holds that file's earlier outputs back from pruning.
/// Reads no image or font bytes and makes no native call.
/// </summary>
public static class BuildPlanner
{
    /// <summary>Plans the configuration's jobs (or <paramref name="onlyJobs"/>).</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="templates">Where templates are found.</param>
    /// <param name="paths">How files are named in keys.</param>
    /// <param name="onlyJobs">The jobs to plan; null for all.</param>
    /// <param name="given">
    /// Items given alone (a hook's, <c>render --data</c>): only their job is planned, from these items instead of its data.
    /// </param>
    public static BuildPlan Plan(BuildConfig config, TemplateCatalog templates, KeyPaths paths, IReadOnlyCollection<string>? onlyJobs = null, (string Job, IReadOnlyList<DataItem> Items)? given = null) =>
        Plan(config, templates, paths, onlyJobs, given, fields: null);

    /// <summary>
    /// As the public overload, with each card's fields kept in <paramref name="fields"/> once it is planned, and the
    /// plan's items and problems serialised into <paramref name="rowStore"/> and <paramref name="problemStore"/> (a
    /// batch build's, which spill past its budget; null: kept in memory).
    /// </summary>
    internal static BuildPlan Plan(BuildConfig config, TemplateCatalog templates, KeyPaths paths, IReadOnlyCollection<string>? onlyJobs, (string Job, IReadOnlyList<DataItem> Items)? given, FieldStore? fields, ScratchBlocks? problemStore = null, ScratchBlocks? rowStore = null, int planChunksHeld = PlannedItemList.DefaultChunksHeld)
    {
        onlyJobs = given is { } only ? [only.Job] : onlyJobs;
        var unknown = onlyJobs?.FirstOrDefault(n => config.Jobs.All(j => j.Name != n));
        if (unknown is not null)
        {
            throw BuildInputException.Error(DiagnosticCodes.ConfigValue, $"no job is named '{unknown}' (jobs: {string.Join(", ", config.Jobs.Select(j => j.Name))})", config.ConfigFile);
        }
        var settings = SettingsKey(config);
        var cards = new PlannedItemList(rowStore, planChunksHeld);
        var problems = new DiagnosticList(problemStore ?? new ScratchBlocks(null, "problems", new ScratchBudget(long.MaxValue)));
        if (config.Tags && (config.BaseUrl is null || config.BaseUrl.StartsWith('/')))
        {
            // Crawlers resolve og:image only as an absolute URL: relative ones are ignored, and the card never shows.
            problems.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.RelativeTagUrls,
                $"images.json's og:image and twitter:image tags hold relative URLs ({config.BaseUrl ?? "no 'baseUrl'"}), which social platforms ignore; set 'baseUrl' to the site's absolute URL (https://…), or 'tags': false", config.ConfigFile));
        }
        var held = new List<string>();
        var heldJobs = new List<string>();
        var folder = new OutputFolder(config.OutputDirectory);
        var jobs = config.Jobs.Where(j => onlyJobs is null || onlyJobs.Contains(j.Name)).ToList();
        foreach (var job in jobs)
        {
            var start = cards.Count;
            PlanJob(config, job, given?.Items, templates, paths, settings, fields, cards, problems, held, heldJobs);
            // One error for the job, not one per card: a planted link refuses the whole job and holds its outputs.
            if (Enumerable.Range(start, cards.Count - start).SelectMany(i => cards[i].Variants).Select(v => folder.Escape(v.Path)).FirstOrDefault(e => e is not null) is { } escape)
            {
                problems.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.OutputThroughLink, $"job '{job.Name}': {escape}", job.Location.File, job.Location.Line, job.Location.Column));
                heldJobs.Add(job.Name);
                cards.Truncate(start);
            }
        }
        var heldItems = new List<string>();
        var planned = RemoveCollisions(cards, problems, heldItems);
        return new BuildPlan(planned, problems.All(), jobs.Select(j => j.Name).ToList()) { HeldSources = held, HeldJobs = heldJobs, HeldItems = heldItems };
    }

    /// <summary>Adds the job's items to <paramref name="cards"/>, and its problems, data files that could not be read and refusal to the lists given.</summary>
    private static void PlanJob(BuildConfig config, JobConfig job, IReadOnlyList<DataItem>? given, TemplateCatalog templates, KeyPaths paths, string settings, FieldStore? fieldStore, PlannedItemList cards, DiagnosticList problems, List<string> held, List<string> heldJobs)
    {
        if (job.Photos is not null)
        {
            foreach (var photo in PhotoPlanner.Plan(config, job, paths, problems, heldJobs))
            {
                cards.Add(photo);
            }
            return;
        }
        TemplateDefinition template;
        try
        {
            template = templates.Resolve(job.Template, config.BaseDirectory);
        }
        catch (BuildInputException ex) when (ex.Diagnostic.Code == DiagnosticCodes.TemplateNotFound)
        {
            // Not found: the mistake is the job's 'template' value.
            throw BuildInputException.For(ex.Diagnostic with { File = job.TemplateLocation.File, Line = job.TemplateLocation.Line, Column = job.TemplateLocation.Column, Message = $"job '{job.Name}': {ex.Diagnostic.Message}" }, ex);
        }
        catch (BuildInputException ex)
        {
            // Found, and its own file (template.json) is wrong: that file is where to look.
            throw BuildInputException.For(ex.Diagnostic with { Message = $"job '{job.Name}': {ex.Diagnostic.Message}" }, ex);
        }
        var size = SizeOf(job, template);
        var variants = VariantShapes(config, job, size).ToArray();
        var namer = new OutputNamer(job, config.TimeZone);
        var planner = new CardItemPlanner(job, template, paths.ToKey(template.MainFile), size, settings, variants, namer, fieldStore, cards, problems);
        if ((given ?? job.InlineItems) is { } inline)
        {
            planner.StartFile();
            planner.Take(inline);
        }
        else
        {
            // Each block of items is planned as it is read: a large data file is never held whole, nor its items.
            var (files, failures) = DataLoader.ReadEach(job.Data!, config.BaseDirectory, job.ItemsPath, planner);
            if (files.Count == 0)
            {
                // Usually a moved folder or a typo: the job's earlier cards are kept (not pruned) until the data is found again.
                problems.Add(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.DataGlobEmpty, $"job '{job.Name}': data '{job.Data}' matched no files; the job's earlier outputs are kept", job.Location.File, job.Location.Line, job.Location.Column));
                heldJobs.Add(job.Name);
            }
            foreach (var failure in failures)
            {
                // A file that is not there is a mistake in the configuration's 'data': point there. Anything else is in the file.
                problems.Add(failure.Error.Code == DiagnosticCodes.DataNotFound && !File.Exists(failure.File)
                    ? failure.Error with { Message = $"job '{job.Name}': {failure.Error.Message}", File = job.DataLocation.File, Line = job.DataLocation.Line, Column = job.DataLocation.Column }
                    : failure.Error with { Message = $"job '{job.Name}': {failure.Error.Message}", File = failure.Error.File ?? failure.File });
                held.Add(paths.ToKey(failure.File));
            }
        }
        problems.AddAll(planner.Problems);
    }

    /// <summary>The card size of a job: its own, else the template's first declared size, else 1200x630.</summary>
    internal static CardSize SizeOf(JobConfig job, TemplateDefinition template) =>
        job.Size ?? (template.Sizes.Count > 0 ? template.Sizes[0] : new CardSize(1200, 630));

    /// <summary>The variants of a job with the path suffix (suffix + extension) in <see cref="PlannedVariant.Path"/>.</summary>
    private static List<PlannedVariant> VariantShapes(BuildConfig config, JobConfig job, CardSize size)
    {
        var shapes = new List<PlannedVariant>();
        foreach (var v in job.Variants)
        {
            var width = v.Width ?? size.Width;
            if (width > size.Width)
            {
                throw BuildInputException.Error(DiagnosticCodes.VariantTooWide, string.Create(CultureInfo.InvariantCulture,
                    $"job '{job.Name}': variant width {width} is wider than the card ({size}); raster images would be upscaled. Make the card size the largest width and draw smaller variants from it"),
                    v.Location.File, v.Location.Line, v.Location.Column);
            }
            var height = Math.Max(1, (int)Math.Round((double)width * size.Height / size.Width));
            var encode = new EncodeOptions(v.Format, v.QualityOrDefault, v.Effort, job.Encoder ?? config.Encoder);
            var suffix = v.Suffix ?? (width == size.Width ? string.Empty : "-" + width.ToString(CultureInfo.InvariantCulture));
            var shape = new PlannedVariant(suffix + encode.Extension, width, height, encode, v.MaxBytes, v.MinQuality);
            if (shapes.Any(s => string.Equals(s.Path, shape.Path, StringComparison.OrdinalIgnoreCase)))
            {
                throw BuildInputException.Error(DiagnosticCodes.OutputCollision, $"job '{job.Name}': two variants would both be named '*{shape.Path}'; give one a 'suffix'", v.Location.File, v.Location.Line, v.Location.Column);
            }
            shapes.Add(shape);
        }
        return shapes;
    }

    /// <summary>
    /// Two cards writing one file is an error naming both, at the later one; neither is rendered, and the first, which the
    /// error is not at, is added to <paramref name="heldItems"/> (its outputs are kept, and it counts as failed).
    /// </summary>
    /// <remarks>
    /// Paths are compared ignoring case: on macOS and Windows two names that differ only in case are one file. Each
    /// output is held as the hash of its path and its place in the plan, sorted, so only outputs whose hashes are equal
    /// have their paths made again and compared. A dictionary of every path was the planning peak at a million items:
    /// four million strings and the table, about 400 MB; this is 8 bytes an output, for the time of the check.
    /// </remarks>
    private static PlannedItemList RemoveCollisions(PlannedItemList cards, DiagnosticList problems, List<string> heldItems)
    {
        // Where each card's outputs start in the plan's order of outputs (card by card, variant by variant).
        var starts = new int[cards.Count + 1];
        for (var c = 0; c < cards.Count; c++)
        {
            starts[c + 1] = checked(starts[c] + cards.VariantCount(c));
        }
        // The hash in the high half and the place in the low: sorted, equal hashes lie together, in plan order.
        var outputs = new ulong[starts[^1]];
        for (var c = 0; c < cards.Count; c++)
        {
            var variants = cards[c].Variants;
            for (var v = 0; v < variants.Count; v++)
            {
                var place = starts[c] + v;
                outputs[place] = (ulong)(uint)string.GetHashCode(variants[v].Path, StringComparison.OrdinalIgnoreCase) << 32 | (uint)place;
            }
        }
        Array.Sort(outputs);
        // Each output that writes a file an earlier card writes (the file's first writer is its owner), by place.
        var clashes = new List<Clash>();
        for (var run = 0; run < outputs.Length;)
        {
            var end = run + 1;
            while (end < outputs.Length && outputs[end] >> 32 == outputs[run] >> 32)
            {
                end++;
            }
            if (end - run > 1)
            {
                FindClashes(cards, starts, outputs.AsSpan(run, end - run), clashes);
            }
            run = end;
        }
        if (clashes.Count == 0)
        {
            return cards;
        }
        clashes.Sort((a, b) => a.Place.CompareTo(b.Place));
        // By index, as bits: each read of the plan makes a new card, and a million items writing one file are a million
        // colliding (sets of their indexes were 40 MB).
        var colliding = new BitArray(cards.Count);
        var errorAt = new BitArray(cards.Count);
        foreach (var clash in clashes)
        {
            if (colliding[clash.Card] && colliding[clash.Owner])
            {
                continue;
            }
            (colliding[clash.Card], colliding[clash.Owner]) = (true, true);
            var (card, first) = (cards[clash.Card], cards[clash.Owner]);
            var path = card.Variants[clash.Place - starts[clash.Card]].Path;
            problems.Add(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.OutputCollision,
                $"items {first.Name} ({Where(first.Item)}) and {card.Name} ({Where(card.Item)}) both write '{path}'; make the output pattern tell them apart",
                card.Item.SourceFile, card.Item.Line, 0, card.Name));
            errorAt[clash.Card] = true;
        }
        // The first writers no error is at: without this, the item that was there first lost its files to the one added.
        for (var i = 0; i < cards.Count; i++)
        {
            if (colliding[i] && !errorAt[i])
            {
                heldItems.Add(cards[i].Name);
            }
        }
        return cards.Where((_, i) => !colliding[i]);
    }

    /// <summary>Among outputs whose paths hash alike (in plan order), each one whose path an earlier card writes, with that card.</summary>
    private static void FindClashes(PlannedItemList cards, int[] starts, ReadOnlySpan<ulong> alike, List<Clash> clashes)
    {
        var seen = new List<(string Path, int Card)>(alike.Length);
        foreach (var output in alike)
        {
            var place = (int)(uint)output;
            var card = CardAt(starts, place);
            var path = cards[card].Variants[place - starts[card]].Path;
            var owner = seen.FindIndex(s => string.Equals(s.Path, path, StringComparison.OrdinalIgnoreCase));
            if (owner < 0)
            {
                seen.Add((path, card));
            }
            else if (seen[owner].Card != card)
            {
                // One card writing a file twice is its own job's concern (two variants named alike), not a collision.
                clashes.Add(new Clash(place, card, seen[owner].Card));
            }
        }
    }

    /// <summary>An output (its place in the plan's order of outputs, and its card) that writes the file an earlier card, its owner, writes.</summary>
    private readonly record struct Clash(int Place, int Card, int Owner);

    /// <summary>The card whose outputs include the output at <paramref name="place"/>.</summary>
    private static int CardAt(int[] starts, int place)
    {
        var at = Array.BinarySearch(starts, place);
        // A card with no outputs shares its start with the next: the last card starting there owns the place.
        if (at >= 0)
        {
            while (at + 1 < starts.Length && starts[at + 1] == place)
            {
                at++;
            }
            return at;
        }
        return ~at - 1;
    }

    private static string Where(DataItem item) => item.Line > 0 ? $"{Path.GetFileName(item.SourceFile)}:{item.Line}" : Path.GetFileName(item.SourceFile);

    /// <summary>Settings that change every card: strict mode, the time zone templates see, and which font files the project offers.</summary>
    internal static string SettingsKey(BuildConfig config)
    {
        var fonts = config.FontFolders
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(d, f).Replace('\\', '/')))
            .Order(StringComparer.Ordinal);
        // The zone joins the key only when it is not UTC, so keys made before time zones existed stay valid.
        string[] zone = config.TimeZone == TimeZoneInfo.Utc ? [] : ["tz=" + config.TimeZone.Id];
        string[] culture = config.Culture.Name == Templates.TemplateOptions.DefaultCulture.Name ? [] : ["culture=" + config.Culture.Name];
        return ContentHash.OfParts(["strict=" + config.Strict, .. zone, .. culture, .. fonts])[..16];
    }
}
