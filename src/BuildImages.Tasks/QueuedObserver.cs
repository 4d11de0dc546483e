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
