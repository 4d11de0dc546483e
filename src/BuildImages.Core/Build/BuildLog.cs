using System.Collections.Concurrent;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>
/// What one build did, as it happens: each output's outcome, errors and warnings, the bytes written and what each photo
/// saved. The one place outcomes and diagnostics go; it tells the observer as they come, and the report is made from it.
/// Outcomes and diagnostics are kept serialised (<see cref="OutcomeSpill"/>, <see cref="DiagnosticSpill"/>); what is held
/// per failed item is a bit, so a build whose every item fails holds about what one that renders them does.
/// Thread-safe: workers log from their threads.
/// </summary>
internal sealed partial class BuildLog(IBuildObserver observer, OutcomeSpill outcomes, DiagnosticSpill diagnostics, int mostRepeatedErrors = BuildLog.MostRepeatedErrors)
{
    /// <summary>
    /// Errors told once with the items they failed (<see cref="RepeatedError"/>) are grouped up to this many; past it an
    /// error of a new kind is told on its own. Data with an error at every row makes a kind per row: the groups would
    /// grow with the items.
    /// </summary>
    internal const int MostRepeatedErrors = 10_000;

    /// <summary>
    /// Problems of the plan and warnings told one by one, per code, up to this many; the rest go to the report and are
    /// counted at the end. An output pattern that names too little makes a BI0021 per item (a hundred thousand lines
    /// before), a byte budget too small for every card a warning per output.
    /// </summary>
    internal const int MostToldPerCode = 20;

    private readonly int[] _counts = new int[Enum.GetValues<OutputStatus>().Length];
    // How many problems and warnings of each code were logged, and whether the code's are warnings.
    private readonly ConcurrentDictionary<string, (int Count, bool Warnings)> _toldByCode = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<PhotoSaving> _savings = new();

    // Which items (by their place in the plan) had an output fail: a bit each.
    private readonly Lock _failedLock = new();
    private ulong[] _failed = [];
    private int _failedItems;

    /// <summary>
    /// The items each card error failed, by the error's code, place and words. An error a template or its markup makes
    /// for every item is shown to the observer once (for the first item), and the build says at its end how many more it
    /// failed; the report keeps every item's error.
    /// </summary>
    private readonly ConcurrentDictionary<(string Code, string? File, int Line, int Column, string Message), RepeatedError> _itemsByError = new();
    private int _groups;

    private long _bytesWritten;

    internal IBuildObserver Observer => observer;

    /// <summary>Sizes the outcome log for a plan of <paramref name="outputs"/> outputs (each logs one outcome at least).</summary>
    internal void Expect(int outputs) => outcomes.Expect(outputs);

    internal long BytesWritten => Interlocked.Read(ref _bytesWritten);

    internal bool HasErrors => diagnostics.ErrorCount > 0;

    /// <summary>Any error or warning: a build with one is not recorded as up to date (its next build looks again).</summary>
    internal bool HasDiagnostics => diagnostics.ErrorCount + diagnostics.WarningCount > 0;

    /// <summary>The errors logged so far, in order, read back from the spill as they are read.</summary>
    internal IReadOnlyList<Diagnostic> Errors => diagnostics.Errors();

    /// <summary>The warnings logged so far, in order, read back from the spill as they are read.</summary>
    internal IReadOnlyList<Diagnostic> Warnings => diagnostics.Warnings();

    internal IReadOnlyList<PhotoSaving> PhotoSavings => [.. _savings.OrderBy(p => p.Path, StringComparer.Ordinal)];

    /// <summary>Every outcome, ordered by output path, each read back as it is read; the log takes no more outcomes after this.</summary>
    internal IReadOnlyList<OutputOutcome> Outcomes() => outcomes.SortedByPath();

    /// <summary>As <see cref="Outcomes"/>, each with its path's id in the build's pool of output paths.</summary>
    internal IEnumerable<(int Path, OutputOutcome Outcome)> OutcomesWithPathIds() => outcomes.SortedWithPathIds();

    /// <summary>How many outcomes had <paramref name="status"/>.</summary>
    internal int Count(OutputStatus status) => Volatile.Read(ref _counts[(int)status]);

    /// <summary>How many items had an output fail.</summary>
    internal int FailedItems => Volatile.Read(ref _failedItems);

    /// <summary>
    /// Tells the observer of the outputs the up-to-date record confirmed, without keeping them: the list reads the record
    /// as it is enumerated, and so does the report (<see cref="ReportMaker.UpToDate"/>), so a no-op holds none of them.
    /// </summary>
    internal void TellUpToDate(IReadOnlyList<OutputOutcome> outcomes) => observer.UpToDate(outcomes);

    internal void Report(OutputOutcome outcome)
    {
        if (outcome.Status is OutputStatus.Rendered or OutputStatus.Deduplicated or OutputStatus.Original or OutputStatus.Fetched)
        {
            Interlocked.Add(ref _bytesWritten, outcome.Bytes);
        }
        Interlocked.Increment(ref _counts[(int)outcome.Status]);
        outcomes.Add(outcome);
        observer.Output(outcome);
    }

    /// <summary>Keeps an error or a warning for the report and tells the observer: every error, and the first <see cref="MostToldPerCode"/> warnings of a code.</summary>
    internal void Report(Diagnostic diagnostic)
    {
        if (diagnostic.Severity == DiagnosticSeverity.Warning)
        {
            ReportProblem(diagnostic);
            return;
        }
        diagnostics.Add(diagnostic);
        observer.Diagnostic(diagnostic);
    }

    /// <summary>A problem the plan found (or a warning): kept for the report, told as it comes for the first <see cref="MostToldPerCode"/> of its code, then only counted.</summary>
    internal void ReportProblem(Diagnostic problem)
    {
        diagnostics.Add(problem);
        var warning = problem.Severity == DiagnosticSeverity.Warning;
        if (_toldByCode.AddOrUpdate(problem.Code, (1, warning), (_, c) => (c.Count + 1, c.Warnings)).Count <= MostToldPerCode)
        {
            observer.Diagnostic(problem);
        }
    }

    internal void Saved(PhotoSaving saving) => _savings.Enqueue(saving);

    /// <summary>Outputs of a failed card: counted failed, reported with the card's error (shown once for all items it fails).</summary>
    internal void Fail(OutputWork work, PlannedItem card, IEnumerable<PlannedVariant> variants, Diagnostic error, RenderReason? reason) =>
        Fail(work, card, variants.Select(v => (v, reason)), error);

    /// <summary>As the other <c>Fail</c>, each output with its own reason (a card's copies of a card that failed).</summary>
    internal void Fail(OutputWork work, PlannedItem card, IEnumerable<(PlannedVariant Variant, RenderReason? Reason)> outputs, Diagnostic error)
    {
        // The work keeps its first error: copies of the card, and cards equal to it, fail with that one.
        work.Failed(error);
        CountFailed(work.PlanIndex);
        if (Group(error) is not { } group || group.Add(card.Name))
        {
            Report(error);
        }
        else
        {
            diagnostics.Add(error);
        }
        foreach (var (v, reason) in outputs)
        {
            Report(new OutputOutcome(v.Path, card.Name, OutputStatus.Failed, reason, v.Width, v.Height, v.Encode.MimeType, 0, null));
        }
    }

    /// <summary>Tells the observer, once at the end, which more items each error shown once also failed, and how many problems of a code were not told.</summary>
    internal void TellRepeatedErrors()
    {
        foreach (var (code, (count, warnings)) in _toldByCode.Where(p => p.Value.Count > MostToldPerCode).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            observer.Message($"{count - MostToldPerCode} more {code} {(warnings ? "warnings" : "problems")} like the {MostToldPerCode} above were not shown ({count} in all; the build's report lists every one)");
        }
        foreach (var (error, group) in _itemsByError.Where(e => e.Value.More > 0).OrderBy(e => e.Key.File, StringComparer.Ordinal).ThenBy(e => e.Key.Line))
        {
            var (more, first) = group.MoreAndFirst();
            observer.Message($"the {error.Code} error above ({Path.GetFileName(error.File) ?? "buildimages"}{(error.Line > 0 ? $"({error.Line},{error.Column})" : "")}) also failed {more} more item{(more == 1 ? "" : "s")}: {string.Join(", ", first)}{(more > first.Count ? ", …" : "")}");
        }
    }

    /// <summary>The group of errors like <paramref name="error"/>, made if there is room; null past <see cref="MostRepeatedErrors"/> kinds.</summary>
    private RepeatedError? Group(Diagnostic error)
    {
        // The markup position differs by item (a longer title moves it); the template's position is the mistake's.
        var key = (error.Code, error.File, error.Line, error.Column, MarkupPosition().Replace(error.Message, string.Empty));
        if (_itemsByError.TryGetValue(key, out var group))
        {
            return group;
        }
        if (Volatile.Read(ref _groups) >= mostRepeatedErrors)
        {
            return null;
        }
        var made = new RepeatedError();
        if (_itemsByError.TryAdd(key, made))
        {
            Interlocked.Increment(ref _groups);
            return made;
        }
        return _itemsByError[key];
    }

    /// <summary>Marks the item at <paramref name="planIndex"/> failed (counted once however many of its outputs fail).</summary>
    private void CountFailed(int planIndex)
    {
        lock (_failedLock)
        {
            var word = planIndex >> 6;
            if (word >= _failed.Length)
            {
                Array.Resize(ref _failed, Math.Max(word + 1, _failed.Length * 2));
            }
            var bit = 1UL << (planIndex & 63);
            if ((_failed[word] & bit) == 0)
            {
                _failed[word] |= bit;
                Volatile.Write(ref _failedItems, _failedItems + 1);
            }
        }
    }

    /// <summary>Runs a write of a bookkeeping file; one that fails is an error naming it, never a crash that loses the others.</summary>
    internal bool WriteOrReport(string file, string what, Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Report(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.WriteFailed, $"could not write {what}: {ex.Message}", file));
            return false;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\s*\(card markup line \d+, column \d+\)")]
    private static partial System.Text.RegularExpressions.Regex MarkupPosition();
}
