using BuildImages.Core.Build;

namespace BuildImages.Core.Tests;

/// <summary>
/// The build's encoder threads: work runs on them (never on the shared thread pool, whose queue a host's requests
/// wait in), results and exceptions come back through the task as they were, and disposing waits for queued work.
/// </summary>
public sealed class EncoderThreadsTests
{
    [Fact]
    public async Task WorkRunsOnTheEncoderThreadsAndComesBackAsItWas()
    {
        using var encoders = new EncoderThreads(2);
        var ran = encoders.Run(() => (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread));
        var failed = encoders.Run<int>(() => throw new InvalidDataException("bad frame"));

        Assert.Equal(("buildimages-encoder", false), await ran);
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => failed);
        Assert.Equal("bad frame", ex.Message);
    }

    [Fact]
    public void DisposingWaitsForEveryQueuedEncode()
    {
        var done = 0;
        Task<int>[] tasks;
        using (var encoders = new EncoderThreads(2))
        {
            tasks = [.. Enumerable.Range(0, 8).Select(i => encoders.Run(() =>
            {
                Thread.Sleep(5);
                Interlocked.Increment(ref done);
                return i;
            }))];
        }

        Assert.Equal(8, Volatile.Read(ref done));
        Assert.All(tasks, t => Assert.True(t.IsCompletedSuccessfully));
#pragma warning disable xUnit1031 // every task has completed (asserted above): Result does not block
        Assert.Equal(Enumerable.Range(0, 8), tasks.Select(t => t.Result));
#pragma warning restore xUnit1031
    }
}
