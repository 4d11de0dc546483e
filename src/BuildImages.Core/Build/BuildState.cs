using System.Collections.Concurrent;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>The shared, thread-safe state of one build: manifest records as they change, outcomes, diagnostics.</summary>
internal sealed partial class BuildState(ManifestDocument manifest, StatCache stats, IBuildObserver observer, StageClock clock)
{
    private long _bytesWritten;
    private int _dirty;

    internal RecordTable Records { get; } = new(manifest.Cards);

    internal ConcurrentDictionary<string, InputSet> InputSets { get; } = new(manifest.Inputs, StringComparer.Ordinal);

    internal ConcurrentQueue<OutputOutcome> Outcomes { get; } = new();

    internal ConcurrentQueue<Diagnostic> Errors { get; } = new();

    internal ConcurrentQueue<Diagnostic> Warnings { get; } = new();

    /// <summary>Dedup key (the first 128 bits of its hash) → the first output that claimed it.</summary>
    internal ConcurrentDictionary<UInt128, (string RecordKey, string Path)> Claimed { get; } = new();

    internal ConcurrentQueue<PendingCopy> Copies { get; } = new();

    /// <summary>Pre-key and variant signatures → the first card that claimed them (cards equal in everything render once).</summary>
    internal ConcurrentDictionary<string, string> PreKeyOwners { get; } = new(StringComparer.Ordinal);

    /// <summary>Photo jobs stopped by a file they could not read (onError: stop) → that file.</summary>
    internal ConcurrentDictionary<string, string> StoppedBy { get; } = new(StringComparer.Ordinal);

    /// <summary>Record keys of photos copied unchanged in this build (onError: copy-original) → the copy's path, which prune keeps.</summary>
    internal ConcurrentDictionary<string, string> CopiedOriginals { get; } = new(StringComparer.Ordinal);

    /// <summary>What each photo output written this build saved against its source.</summary>
    internal ConcurrentQueue<PhotoSaving> PhotoSavings { get; } = new();

    /// <summary>The vision models photo savings are estimated for.</summary>
    internal IReadOnlyList<Imaging.VisionModel> VisionModels { get; set; } = [];

    /// <summary>Where this build right-sizes photos (in process, or in the tool's sandbox processes).</summary>
    internal Imaging.IPhotoProcessing Photos { get; set; } = Imaging.InProcessPhotos.Instance;

    internal StageClock Clock => clock;

    /// <summary>Outputs written and not yet named by a saved manifest (what a killed build leaves for the next to sweep).</summary>
    internal OutputJournal? Journal { get; set; }

    /// <summary>Outputs written but not yet flushed; committed before every manifest save that names them.</summary>
    internal Output.DurableBatch Durable { get; } = new();

    /// <summary>What the render engine's image cache did (set when the workers are done).</summary>
    internal Assets.ImageCacheStats? ImageCache { get; set; }

    /// <summary>Machine-local file times and hashes (not part of the manifest).</summary>
    internal StatCache Stats => stats;

    internal IBuildObserver Observer => observer;

    internal long BytesWritten => Interlocked.Read(ref _bytesWritten);

    internal bool Dirty => Volatile.Read(ref _dirty) != 0;

    internal void MarkDirty() => Volatile.Write(ref _dirty, 1);

    internal void SetRecord(CardRecord record)
    {
        Records.Set($"{record.Job}:{record.Output}", record);
        MarkDirty();
    }

    internal void Report(OutputOutcome outcome)
    {
        if (outcome.Status is OutputStatus.Rendered or OutputStatus.Deduplicated or OutputStatus.Original)
        {
            Interlocked.Add(ref _bytesWritten, outcome.Bytes);
        }
        Outcomes.Enqueue(outcome);
        observer.Output(outcome);
    }

    internal void Report(Diagnostic diagnostic)
    {
        (diagnostic.Severity == DiagnosticSeverity.Error ? Errors : Warnings).Enqueue(diagnostic);
        observer.Diagnostic(diagnostic);
    }

    /// <summary>
    /// The items each card error failed, in the order they failed, by the error's code, place and words. An error a
    /// template or its markup makes for every item is shown to the observer once (for the first item), and the build
    /// says at its end how many more it failed; the report keeps every item's error.
    /// </summary>
    internal ConcurrentDictionary<(string Code, string? File, int Line, int Column, string Message), List<string>> ItemsByError { get; } = new();

    [System.Text.RegularExpressions.GeneratedRegex(@"\s*\(card markup line \d+, column \d+\)")]
    private static partial System.Text.RegularExpressions.Regex MarkupPosition();

    /// <summary>Outputs of a failed card: counted failed, reported with the card's error (shown once for all items it fails).</summary>
    internal void Fail(PlannedCard card, IEnumerable<PlannedVariant> variants, Diagnostic error, RenderReason? reason)
    {
        // The markup position differs by item (a longer title moves it); the template's position is the mistake's.
        var items = ItemsByError.GetOrAdd((error.Code, error.File, error.Line, error.Column, MarkupPosition().Replace(error.Message, string.Empty)), _ => []);
        bool first;
        lock (items)
        {
            first = items.Count == 0;
            items.Add(card.Name);
        }
        if (first)
        {
            Report(error);
        }
        else
        {
            (error.Severity == DiagnosticSeverity.Error ? Errors : Warnings).Enqueue(error);
        }
        foreach (var v in variants)
        {
            Report(new OutputOutcome(v.Path, card.Name, OutputStatus.Failed, reason, v.Width, v.Height, v.Encode.MimeType, 0, null));
        }
    }
}

/// <summary>An output whose pixels equal another output's in this build: copied once that one is written.</summary>
/// <summary>
/// An output whose pixels equal another output's in this build: copied once that one is written. A pre-key copy
/// (<see cref="OwnerPath"/> null) takes the owner's variant of the same signature and its input set; a markup copy
/// takes the owner's fonts and images with its own <see cref="Templates"/>. <see cref="CardRendered"/> says whether
/// the card's worker set a record of this build (else the copier makes it).
/// </summary>
internal sealed record PendingCopy(PlannedCard Card, PlannedVariant Variant, string OwnerRecordKey, string? OwnerPath, SortedDictionary<string, string>? Templates, RenderReason Reason, VariantRecord? Previous, bool CardRendered);

/// <summary>A card with at least one output to render, and why.</summary>
internal sealed record CardWork(PlannedCard Card, CardRecord? Old, IReadOnlyDictionary<PlannedVariant, RenderReason> Needed);
