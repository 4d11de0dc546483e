using System.Collections.Concurrent;

namespace BuildImages.Core.Manifest;

/// <summary>
/// Checks the records a manifest reader hands on, and hands each on, checked, on the reading thread in the order they
/// were read (so what takes them need not be thread-safe, and a record table fills in key order, as the manifest's save
/// and images.json read it back). Checking a record (reading it, its paths and its check) is nine tenths of reading a
/// manifest: on one core a million records took 44 s beside the plan. Past the first few thousand records the checks
/// run a batch at a time on threads of their own, one per core, not on the thread pool: a hook server reads the
/// manifest under a lock on a pool thread, and a reader waiting on pool work while the pool is busy would wait for
/// the pool to grow.
/// </summary>
/// <param name="check">What a record is found to be; run on other threads, so it must only read what it is given.</param>
/// <param name="take">Takes a checked record, on the thread that adds them.</param>
internal sealed class OrderedRecordChecks<TChecked>(Func<string, byte[], TChecked> check, Action<string, TChecked> take) : IDisposable
{
    /// <summary>Records checked on the adding thread before any thread is started: a small manifest is read as before.</summary>
    internal const int InlineRecords = 4096;

    // About 120 KB of BuildImages' records: enough to be worth a hand-over, few enough to keep the read ahead small.
    private const int BatchSize = 64;

    private readonly Queue<Batch> _waiting = new();
    private readonly int _ahead = Math.Max(2, Environment.ProcessorCount * 2);
    private BlockingCollection<Batch>? _work;
    private Thread[] _workers = [];
    private Batch _batch = new();
    private int _added;
    private volatile bool _stopped;

    /// <summary>Adds a record read (its bytes are copied: the reader's buffer moves on); hands on the oldest batch when enough are in flight. Throws what a check threw.</summary>
    internal void Add(string key, ReadOnlySpan<byte> bytes)
    {
        if (_added++ < InlineRecords)
        {
            take(key, check(key, bytes.ToArray()));
            return;
        }
        _batch.Records.Add((key, bytes.ToArray()));
        if (_batch.Records.Count == BatchSize)
        {
            Dispatch();
        }
    }

    /// <summary>Hands on every record added, in order. Throws what a check threw.</summary>
    internal void Finish()
    {
        if (_batch.Records.Count > 0)
        {
            Dispatch();
        }
        while (_waiting.Count > 0)
        {
            TakeOldest();
        }
    }

    /// <summary>Stops the threads once they finish what they hold, handing nothing more on (the reader stopped, or a check failed).</summary>
    public void Dispose()
    {
        _stopped = true;
        _work?.CompleteAdding();
        foreach (var worker in _workers)
        {
            worker.Join();
        }
        _work?.Dispose();
    }

    private void Dispatch()
    {
        if (_work is null)
        {
            _work = new BlockingCollection<Batch>();
            _workers = [.. Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount)).Select(i => new Thread(Work) { IsBackground = true, Name = "BuildImages manifest check " + i })];
            foreach (var worker in _workers)
            {
                worker.Start();
            }
        }
        var batch = _batch;
        _batch = new();
        _waiting.Enqueue(batch);
        _work.Add(batch);
        while (_waiting.Count >= _ahead)
        {
            TakeOldest();
        }
    }

    private void Work()
    {
        foreach (var batch in _work!.GetConsumingEnumerable())
        {
            try
            {
                batch.Checked.SetResult(_stopped ? [] : [.. batch.Records.Select(r => check(r.Key, r.Bytes))]);
            }
            catch (Exception ex)
            {
                batch.Checked.SetException(ex);
            }
        }
    }

    private void TakeOldest()
    {
        var batch = _waiting.Dequeue();
        // Throws what the check threw, as it threw it.
        var results = batch.Checked.Task.GetAwaiter().GetResult();
        for (var i = 0; i < batch.Records.Count; i++)
        {
            take(batch.Records[i].Key, results[i]);
        }
    }

    /// <summary>Records read, and what a thread found them to be (or what the check threw), once it has.</summary>
    private sealed class Batch
    {
        internal List<(string Key, byte[] Bytes)> Records { get; } = new(BatchSize);

        internal TaskCompletionSource<TChecked[]> Checked { get; } = new();
    }
}
