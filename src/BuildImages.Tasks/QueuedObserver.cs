using System.Collections.Concurrent;
using BuildImages.Core.Build;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Tasks;

/// <summary>Collects the engine's events from worker threads; <see cref="Drain"/> raises them on the task's thread (MAUI Resizetizer's pattern).</summary>
internal sealed class QueuedObserver : IBuildObserver
{
    private readonly ConcurrentQueue<Action<RenderSocialImages>> _events = new();

    public void Planned(int outputs, int toRender) => _events.Enqueue(t => t.Detail($"BuildImages: {outputs} outputs planned, {toRender} to render"));

    public void Output(OutputOutcome outcome) => _events.Enqueue(t => t.Detail($"{outcome.Status.ToString().ToLowerInvariant()} {outcome.Path}"));

    /// <summary>A no-op: one line, not one per output (the record may hold millions, and each would be a logged message).</summary>
    public void UpToDate(IReadOnlyList<OutputOutcome> outcomes) => _events.Enqueue(t => t.Detail($"BuildImages: all {outcomes.Count} outputs up to date (confirmed by the up-to-date record)"));

    public void Diagnostic(Diagnostic diagnostic) => _events.Enqueue(t => t.Report(diagnostic));

    public void Message(string text) => _events.Enqueue(t => t.Notice(text));

    internal void Drain(RenderSocialImages task)
    {
        while (_events.TryDequeue(out var raise))
        {
            raise(task);
        }
    }
}
