using BuildImages.Core.Configuration;
using BuildImages.Core.Planning;
using BuildImages.Core.Rendering;

namespace BuildImages.Core.Build;

/// <summary>
/// Renders a build's work on worker threads, each with its own renderer over one engine (a long-lived host's, else
/// one made for this build), and saves manifest checkpoints as it goes.
/// </summary>
internal sealed class RenderPool(BuildConfig config, BuildOptions options, CardEngine? engine)
{
    /// <summary>Renders every card of <paramref name="work"/>; false if cancelled before the end. Also what the engine's image cache did.</summary>
    internal (bool Finished, Assets.ImageCacheStats? ImageCache) RenderAll(WorkList work, WorkerContext context, DuplicateTable duplicates, DuplicateCopier copier, PhotoRun photos, ManifestCheckpoint checkpoint, CancellationToken cancellation)
    {
        // A build of photos only draws nothing: it neither scans fonts for an engine nor starts encoder threads (about
        // a tenth of a second of a small photo build, and the JIT of code it never runs).
        using var owned = engine is null && work.DrawsCards ? new CardEngine(config.EngineOptions(options.Strict)) : null;
        var cards = engine ?? owned;
        var next = -1;
        var done = 0;
        var workers = Workers(options, work.Count);
        // Two per worker: one encoding while another waits on libvips' own thread, and the worker drawing its next frame.
        using var encoders = cards is null ? null : new EncoderThreads(2 * workers);
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            using var renderer = cards?.CreateRenderer();
            var cardWorker = renderer is null ? null : new CardWorker(context, duplicates, copier, renderer, encoders!);
            var photoWorker = new PhotoWorker(context, photos);
            // The card whose encodes are running while this worker starts the next: waiting for them before drawing
            // the next card left the encoder threads without work at the end of every card.
            Action? finishing = null;
            void Done(Action? finish)
            {
                finish?.Invoke();
                Interlocked.Increment(ref done);
                checkpoint.MaybeSave();
            }
            int i;
            while (!cancellation.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < work.PlanLength)
            {
                if (work.Take(i) is not { } item)
                {
                    continue;
                }
                // The worker by the item's kind.
                Action? started = null;
                switch (item.Planned)
                {
                    case PlannedCard card:
                        started = cardWorker!.Start(card, item);
                        break;
                    case PlannedPhoto photo:
                        photoWorker.Render(photo, item);
                        break;
                }
                if (finishing is not null)
                {
                    Done(finishing);
                }
                if (started is null)
                {
                    Done(null);
                }
                finishing = started;
            }
            if (finishing is not null)
            {
                Done(finishing);
            }
        }, 16 * 1024 * 1024) { IsBackground = true, Name = "buildimages-worker" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return (done == work.Count, cards?.ImageCache);
    }

    /// <summary>One worker per core (or as asked), never more than there is work.</summary>
    internal static int Workers(BuildOptions options, int work) => Math.Clamp(options.Parallelism > 0 ? options.Parallelism : Environment.ProcessorCount, 1, Math.Max(1, work));
}
