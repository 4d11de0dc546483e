using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Build;

/// <summary>
/// Every error and warning a build logs, kept for its report: two <see cref="DiagnosticList"/>s over one store of
/// scratch blocks (in memory up to the build's budget, then a nameless scratch file beside the manifest). A build in
/// which a million items fail logs a million errors: held as objects with their item names they were most of the 250 MB
/// such a build held over one that renders. The report reads them back, in the order they were logged, as it is read,
/// so the blocks live as long as the report. Thread-safe: workers log from their threads.
/// </summary>
internal sealed class DiagnosticSpill
{
    private readonly ScratchBlocks _blocks;
    private readonly DiagnosticList _errors;
    private readonly DiagnosticList _warnings;

    /// <param name="manifestFile">The manifest the scratch file goes beside; null keeps everything in memory (a dry run writes nothing).</param>
    /// <param name="budget">The bytes held in memory before the file is used (the build's, shared by its stores).</param>
    internal DiagnosticSpill(string? manifestFile, ScratchBudget budget)
    {
        _blocks = new ScratchBlocks(manifestFile, "diagnostics", budget);
        (_errors, _warnings) = (new DiagnosticList(_blocks), new DiagnosticList(_blocks));
    }

    /// <summary>Whether a scratch file holds some of the diagnostics (for tests).</summary>
    internal bool UsesFile => _blocks.UsesFile;

    /// <summary>How many errors were logged.</summary>
    internal int ErrorCount => _errors.Count;

    /// <summary>How many warnings were logged.</summary>
    internal int WarningCount => _warnings.Count;

    internal void Add(Diagnostic diagnostic) => (diagnostic.Severity == DiagnosticSeverity.Error ? _errors : _warnings).Add(diagnostic);

    /// <summary>The errors logged so far, in the order they were logged, each read back as it is read.</summary>
    internal IReadOnlyList<Diagnostic> Errors() => _errors.All();

    /// <summary>The warnings logged so far, in the order they were logged, each read back as it is read.</summary>
    internal IReadOnlyList<Diagnostic> Warnings() => _warnings.All();
}
