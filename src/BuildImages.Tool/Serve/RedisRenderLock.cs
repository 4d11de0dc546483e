using BuildImages.Core.Caching;
using StackExchange.Redis;

namespace BuildImages.Tool.Serve;

/// <summary>
/// The render lock replicas share through Redis (<c>BUILDIMAGES_CACHE_LOCK_REDIS=host:port</c>): <c>SET key token NX PX</c>
/// takes an output key for a short hold that the holder renews while it renders, a script deletes it only if the token
/// is still ours. A replica that dies, or whose release is lost on a busy machine, leaves the key for one hold at most,
/// not for as long as its longest render could take. A replica that finds the key taken polls until it is gone, or
/// until its wait runs out (below the request timeout, so a request never times out waiting for another replica: it
/// renders the card itself), then looks in the remote cache. StackExchange.Redis rather than a hand-written client: it
/// is the maintained .NET client, and reconnects on its own.
/// <para>
/// A poll that fails while waiting (a timeout: the client reads replies on the .NET thread pool, which a loaded machine
/// can leave waiting past the 2 s a command has; or Redis stalled) does not end the wait, which would render a card
/// another replica is drawing: the key counts as held until a poll answers, the wait's bound passes, or polls have
/// failed for a whole hold in a row (Redis is gone, not slow; the render goes ahead).
/// </para>
/// </summary>
internal sealed class RedisRenderLock : IRenderLock, IDisposable
{
    private const string Release = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private const string Renew = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    private static readonly TimeSpan DefaultHold = TimeSpan.FromSeconds(15);
    private readonly ConnectionMultiplexer _redis;
    private readonly TimeSpan _maxWait;
    private readonly TimeSpan _hold;
    // The keys held now, renewed every third of a hold by a thread of the lock's own. A timer's callbacks run on the
    // thread pool, which a busy replica (renders waiting on it) or a loaded machine can leave waiting past a hold: the
    // key then lapsed while its holder still rendered (seen in a test run, the pool busy with other tests' builds).
    private readonly List<Held> _held = [];
    private readonly Lock _heldLock = new();
    private readonly ManualResetEventSlim _stopping = new();
    private Thread? _renewer;

    private RedisRenderLock(ConnectionMultiplexer redis, TimeSpan maxWait, TimeSpan hold)
    {
        _redis = redis;
        _maxWait = maxWait;
        _hold = hold;
    }

    /// <summary>
    /// A lock on the Redis at <paramref name="endpoint"/> (host:port); it connects in the background and a request while
    /// it is down fails (the render then goes ahead unlocked).
    /// </summary>
    /// <param name="endpoint">host:port.</param>
    /// <param name="maxWait">How long a replica waits for another's render before drawing the card itself.</param>
    /// <param name="hold">How long a key outlives its holder's last renewal (renewed every third of it); tests shorten it.</param>
    /// <param name="commandTimeout">How long one command may take (2 s; tests of other things lengthen it).</param>
    internal static RedisRenderLock Connect(string endpoint, TimeSpan maxWait, TimeSpan? hold = null, TimeSpan? commandTimeout = null)
    {
        var options = ConfigurationOptions.Parse(endpoint);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = (int)(commandTimeout ?? TimeSpan.FromSeconds(2)).TotalMilliseconds;
        return new RedisRenderLock(ConnectionMultiplexer.Connect(options), maxWait, hold ?? DefaultHold);
    }

    public IDisposable? Acquire(string key)
    {
        var db = _redis.GetDatabase();
        var name = new RedisKey("buildimages:render:" + key);
        var token = Guid.NewGuid().ToString("N");
        if (db.StringSet(name, token, _hold, When.NotExists))
        {
            var held = new Held(this, name, token);
            lock (_heldLock)
            {
                _held.Add(held);
                if (_renewer is null)
                {
                    _renewer = new Thread(RenewWhileHeld) { IsBackground = true, Name = "BuildImages render lock renewal" };
                    _renewer.Start();
                }
            }
            return held;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan? failingSince = null;
        while (clock.Elapsed < _maxWait)
        {
            try
            {
                if (!db.KeyExists(name))
                {
                    break;
                }
                failingSince = null;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                failingSince ??= clock.Elapsed;
                if (clock.Elapsed - failingSince >= _hold)
                {
                    break;
                }
            }
            Thread.Sleep(50);
        }
        return null;
    }

    /// <summary>The renewal thread: every third of a hold, each key held now is renewed, until the lock is disposed.</summary>
    private void RenewWhileHeld()
    {
        while (!_stopping.Wait(_hold / 3))
        {
            Held[] now;
            lock (_heldLock)
            {
                now = [.. _held];
            }
            foreach (var held in now)
            {
                held.RenewOnce();
            }
        }
    }

    public void Dispose()
    {
        // The event is left to the collector: a renewal thread that outlived the join must still be able to wait on it.
        _stopping.Set();
        _renewer?.Join(TimeSpan.FromSeconds(5));
        _redis.Dispose();
    }

    /// <summary>A key this process holds: renewed by its lock's renewal thread until released.</summary>
    private sealed class Held(RedisRenderLock owner, RedisKey name, RedisValue token) : IDisposable
    {
        public void Dispose()
        {
            // Renewals stop first. One already under way may land after the release, and then does nothing: the script
            // renews only a key that still holds this token. A release lost on a busy machine is tried again; if it
            // never lands, the key expires one hold after the last renewal.
            lock (owner._heldLock)
            {
                owner._held.Remove(this);
            }
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    owner._redis.GetDatabase().ScriptEvaluate(Release, [name], [token]);
                    return;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException && attempt < 2)
                {
                    Thread.Sleep(100 << attempt);
                }
            }
        }

        internal void RenewOnce()
        {
            try
            {
                owner._redis.GetDatabase().ScriptEvaluate(Renew, [name], [token, (long)owner._hold.TotalMilliseconds], CommandFlags.FireAndForget);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                // The renewal thread must not die of it (it would end the process). The next round tries again (the
                // connection closed with the server: the key lapses); a key that lapses only lets another replica
                // draw the same card.
            }
        }
    }
}
