using BuildImages.Core.Caching;
using StackExchange.Redis;

namespace BuildImages.Tool.Serve;

/// <summary>
/// The render lock replicas share through Redis (<c>BUILDIMAGES_CACHE_LOCK_REDIS=host:port</c>): <c>SET key token NX PX</c>
/// takes an output key, a script deletes it only if the token is still ours, and it expires by itself if a replica dies
/// holding it. A replica that finds the key taken polls until it is gone (or <see cref="MaxWait"/> passes), then looks
/// in the remote cache. StackExchange.Redis rather than a hand-written client: it is the maintained .NET client, and
/// reconnects on its own.
/// </summary>
internal sealed class RedisRenderLock : IRenderLock, IDisposable
{
    private const string Release = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);
    private readonly ConnectionMultiplexer _redis;

    private RedisRenderLock(ConnectionMultiplexer redis) => _redis = redis;

    /// <summary>A lock on the Redis at <paramref name="endpoint"/> (host:port); it connects in the background and a request while it is down fails (the render then goes ahead unlocked).</summary>
    internal static RedisRenderLock Connect(string endpoint)
    {
        var options = ConfigurationOptions.Parse(endpoint);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        return new RedisRenderLock(ConnectionMultiplexer.Connect(options));
    }

    public IDisposable? Acquire(string key)
    {
        var db = _redis.GetDatabase();
        var name = new RedisKey("buildimages:render:" + key);
        var token = Guid.NewGuid().ToString("N");
        if (db.StringSet(name, token, Hold, When.NotExists))
        {
            return new Held(db, name, token);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (db.KeyExists(name) && clock.Elapsed < MaxWait)
        {
            Thread.Sleep(50);
        }
        return null;
    }

    public void Dispose() => _redis.Dispose();

    private sealed class Held(IDatabase db, RedisKey name, string token) : IDisposable
    {
        public void Dispose() => db.ScriptEvaluate(Release, [name], [token]);
    }
}
