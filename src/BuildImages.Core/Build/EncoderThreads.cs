using System.Collections.Concurrent;

namespace BuildImages.Core.Build;

/// <summary>
/// The threads a build encodes its card variants on, started with the build's render workers and ended with them.
/// Not the shared thread pool: in a long-lived host (the hook server) that pool also runs the HTTP requests, which
/// would wait in its queue behind seconds of encoding; dedicated threads share the cores through the OS scheduler
/// instead. Each frees libvips' per-thread buffers when it ends.
/// </summary>
internal sealed class EncoderThreads : IDisposable
{
    private readonly BlockingCollection<Action> _queue = [];
    private readonly Thread[] _threads;

    /// <param name="count">Threads to start: enough that a worker's next frame and the other variants encode while one waits on libvips.</param>
    internal EncoderThreads(int count)
    {
        _threads = [.. Enumerable.Range(0, Math.Max(1, count)).Select(_ => new Thread(Work) { IsBackground = true, Name = "buildimages-encoder" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary><paramref name="encode"/> run on one of the threads; its exception, if any, is the task's.</summary>
    internal Task<T> Run<T>(Func<T> encode)
    {
        // Continuations run elsewhere: a waiter must never run its own code on an encoder thread.
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            try
            {
                done.SetResult(encode());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }
        _queue.Dispose();
    }

    private void Work()
    {
        var encoded = false;
        try
        {
            foreach (var encode in _queue.GetConsumingEnumerable())
            {
                encoded = true;
                encode();
            }
        }
        finally
        {
            // Only a thread that encoded has touched libvips (a build of photos alone never loads it here).
            if (encoded)
            {
                Native.VipsRuntime.ThreadShutdown();
            }
        }
    }
}
