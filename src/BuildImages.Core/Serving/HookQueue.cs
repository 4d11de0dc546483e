using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Planning;
using BuildImages.Core.Rendering;

namespace BuildImages.Core.Serving;

/// <summary>
/// The render pool behind the hook server, usable from async code. Requests add items; one loop drains everything
/// waiting into a batch per job and runs it as a batch build of those items (<see cref="BuildOptions.ItemsOverride"/>)
/// on the host's one engine, under the output folder's lock, so a nightly build, a publish and the server never
/// interleave. An item already waiting or in flight with the same job, id and data is not added again: the new
/// request waits for that render (coalescing), and a request after it finishes finds the manifest current (a skip).
/// A newer version of a waiting item replaces it, and every waiter gets the newest render. Waiting is bounded:
/// past <see cref="HookQueueOptions.Capacity"/> items a request is refused (<see cref="HookQueueFullException"/>).
/// A caller that stops waiting (a client gone, a time limit) never cancels a render others wait for.
/// </summary>
public sealed class HookQueue : IAsyncDisposable
{
    private readonly Func<BuildConfig> _config;
    private readonly CardEngine _engine;

    /// <summary>The current configuration's template catalog and key paths, made again when the configuration is reloaded.</summary>
    private Workspace? _workspace;
    private readonly HookQueueOptions _options;
    private readonly IHookQueueObserver _observer;
    private readonly object _lock = new();
    // Everything not started yet, in arrival order: renders (Waiting) and unpublishes (Removal). Operations on one
    // item run in the order they came, so a publish after a delete wins, and its answer stays true.
    private readonly List<object> _pending = [];
    // The latest pending render of each item with no unpublish of it after: what a new request of it may join or replace.
    private readonly Dictionary<(string Job, string Id), Waiting> _waiting = [];
    // Items with an unpublish waiting or running (how many): a request for one never joins a render that runs before it.
    private readonly Dictionary<(string Job, string Id), int> _removing = [];
    private readonly Dictionary<(string Job, string Id), Waiting> _inFlight = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private bool _closed;

    /// <param name="config">Loads the configuration for each batch, so an edit to it (a new mapping, a variant) applies to the next one.</param>
    /// <param name="engine">The host's engine, made once from the configuration's engine options.</param>
    /// <param name="options">Capacity and workers.</param>
    /// <param name="observer">Told of each batch, for metrics.</param>
    public HookQueue(Func<BuildConfig> config, CardEngine engine, HookQueueOptions? options = null, IHookQueueObserver? observer = null)
    {
        _config = config;
        _engine = engine;
        _options = options ?? new HookQueueOptions();
        _observer = observer ?? NullHookQueueObserver.Instance;
        _loop = Task.Factory.StartNew(Loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Operations waiting for the loop, renders and unpublishes (not counting the ones being run).</summary>
    public int Depth
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Items in the batch being rendered now.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>
    /// Renders these items of a cards job (or finds them current) and returns each item's outcome, in order. The
    /// token only stops this caller's wait. Throws <see cref="HookQueueFullException"/> when the queue is full and
    /// <see cref="ObjectDisposedException"/> once the queue is shutting down.
    /// </summary>
    public Task<HookItemResult[]> SubmitAsync(string job, IReadOnlyList<DataItem> items, CancellationToken cancellation = default)
    {
        var tasks = new Task<HookItemResult>[items.Count];
        // Hashed before the lock: it is the only work per item, and every request thread shares the lock.
        var hashes = items.Select(i => CanonicalData.Hash(i.Fields)).ToArray();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var depth = _pending.Count(p => p is Waiting);
            var fresh = items.Select(i => (job, i.Id)).Distinct().Count(k => !_waiting.ContainsKey(k));
            if (depth + fresh > _options.Capacity)
            {
                throw new HookQueueFullException(depth, _options.Capacity);
            }
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var key = (job, item.Id);
                var hash = hashes[i];
                if (_inFlight.TryGetValue(key, out var running) && running.Hash == hash && !_waiting.ContainsKey(key) && !_removing.ContainsKey(key))
                {
                    tasks[i] = running.Join(coalesced: true);
                    _observer.Coalesced();
                    continue;
                }
                if (_waiting.TryGetValue(key, out var queued))
                {
                    var same = queued.Hash == hash;
                    if (same)
                    {
                        _observer.Coalesced();
                    }
                    else
                    {
                        // A newer version of an entry not yet started: render that one, for every waiter.
                        queued.Item = item;
                        queued.Hash = hash;
                    }
                    tasks[i] = queued.Join(coalesced: same);
                    continue;
                }
                var waiting = new Waiting(job, item, hash);
                _waiting[key] = waiting;
                _pending.Add(waiting);
                tasks[i] = waiting.Join(coalesced: false);
            }
        }
        _signal.Release();
        return Task.WhenAll(tasks).WaitAsync(cancellation);
    }

    /// <summary>
    /// Unpublishes items of a job: their outputs are pruned and their records dropped, after every operation on them
    /// that came before (a render still waiting runs first), and before any that comes after.
    /// </summary>
    public Task<BuildReport> RemoveAsync(string job, IReadOnlyList<string> ids, CancellationToken cancellation = default)
    {
        var removal = new Removal(job, ids);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            foreach (var id in ids)
            {
                // A render waiting now stays before the removal; a later request of the item must come after it.
                _waiting.Remove((job, id));
                _removing[(job, id)] = _removing.GetValueOrDefault((job, id)) + 1;
            }
            _pending.Add(removal);
        }
        _signal.Release();
        return removal.Done.Task.WaitAsync(cancellation);
    }

    private async Task Loop()
    {
        while (true)
        {
            try
            {
                await _signal.WaitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Closing: what is still waiting is failed in DisposeAsync.
            }
            List<object> operations;
            lock (_lock)
            {
                operations = [.. _pending];
                _pending.Clear();
                _waiting.Clear();
                foreach (var w in operations.OfType<Waiting>())
                {
                    _inFlight[(w.Job, w.Item.Id)] = w;
                }
                if (operations.Count == 0 && (_closed || _stopping.IsCancellationRequested))
                {
                    return;
                }
            }
            // In arrival order: each run of renders (one batch per job), then each unpublish, as they came.
            var renders = new List<Waiting>();
            foreach (var operation in operations.Append(null))
            {
                if (operation is Waiting waiting)
                {
                    renders.Add(waiting);
                    continue;
                }
                foreach (var group in renders.GroupBy(w => w.Job, StringComparer.Ordinal))
                {
                    Render(group.Key, [.. group]);
                }
                Finished(renders);
                renders.Clear();
                if (operation is Removal removal)
                {
                    Remove(removal);
                    Finished(removal);
                }
            }
        }
    }

    private void Finished(Removal removal)
    {
        lock (_lock)
        {
            foreach (var id in removal.Ids)
            {
                var key = (removal.Job, id);
                if (_removing.TryGetValue(key, out var count))
                {
                    if (count > 1)
                    {
                        _removing[key] = count - 1;
                    }
                    else
                    {
                        _removing.Remove(key);
                    }
                }
            }
        }
    }

    private void Finished(List<Waiting> renders)
    {
        lock (_lock)
        {
            foreach (var w in renders)
            {
                // One drain may hold the item twice (render, unpublish, render): the later entry stays in flight.
                if (_inFlight.TryGetValue((w.Job, w.Item.Id), out var current) && ReferenceEquals(current, w))
                {
                    _inFlight.Remove((w.Job, w.Item.Id));
                }
            }
        }
    }

    private void Render(string job, List<Waiting> batch)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var config = _config();
            if (config.Jobs.FirstOrDefault(j => j.Name == job) is not { } found || found.Photos is not null)
            {
                throw BuildInputException.Error(DiagnosticCodes.ConfigValue, $"there is no cards job '{job}' in the configuration", config.ConfigFile);
            }
            var options = new BuildOptions { ItemsOverride = (job, batch.Select(w => w.Item).ToList()), Parallelism = _options.Workers, LockTimeout = _options.LockTimeout, RemoteCache = _options.RemoteCache };
            // The loop's own token is not passed: a render others wait for runs to its end, and the build saves what it finished.
            var workspace = _workspace is { } current && ReferenceEquals(current.Config, config) ? current : (_workspace = new Workspace(config));
            var report = new BatchBuilder(config, options, NullBuildObserver.Instance, _engine, workspace).Run(CancellationToken.None);
            _observer.Batch(job, batch.Count, report, clock.Elapsed);
            foreach (var w in batch)
            {
                w.Complete(HookItemResult.From(job, w.Item.Id, report));
            }
        }
        catch (Exception ex)
        {
            // A configuration that no longer loads, or the lock not taken in time: every item of the batch says so.
            var error = ex is BuildInputException card ? card.Diagnostic : new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InternalError, InternalError.Describe(ex, "rendering a hook batch"));
            _observer.Failed(job, batch.Count, error.Code, clock.Elapsed);
            foreach (var w in batch)
            {
                w.Complete(HookItemResult.Failed(w.Item.Id, error));
            }
        }
    }

    private void Remove(Removal removal)
    {
        try
        {
            var report = new BatchBuilder(_config(), new BuildOptions { RemoveItems = (removal.Job, removal.Ids), LockTimeout = _options.LockTimeout }).Run(CancellationToken.None);
            removal.Done.TrySetResult(report);
        }
        catch (Exception ex)
        {
            removal.Done.TrySetException(ex);
        }
    }

    /// <summary>Stops taking requests, lets the loop finish what it holds (the manifest stays valid), and fails nothing that was accepted.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _closed = true;
        }
        _signal.Release();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        _signal.Dispose();
    }

    private sealed class Waiting(string job, DataItem item, string hash)
    {
        private readonly TaskCompletionSource<HookItemResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal string Job { get; } = job;

        internal DataItem Item { get; set; } = item;

        internal string Hash { get; set; } = hash;

        internal Task<HookItemResult> Join(bool coalesced)
        {
            return coalesced ? _done.Task.ContinueWith(t => t.Result with { Coalesced = true }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default) : _done.Task;
        }

        internal void Complete(HookItemResult result) => _done.TrySetResult(result);
    }

    private sealed record Removal(string Job, IReadOnlyList<string> Ids)
    {
        internal TaskCompletionSource<BuildReport> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
