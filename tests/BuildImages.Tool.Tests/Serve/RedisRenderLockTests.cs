using System.Diagnostics;
using BuildImages.Tool.Serve;
using StackExchange.Redis;

namespace BuildImages.Tool.Tests.Serve;

/// <summary>
/// The Redis render lock against a real Redis on loopback: a living holder keeps its key past the hold, a dead one
/// frees it within about one hold, a waiter never waits past its bound, and a stall or loss of Redis while it waits
/// neither fails it nor keeps it waiting for ever. The hold is 6 s here (renewed every 2 s), so a renewal may run late
/// by 4 s on a busy machine before a check could fail. Tests of anything but a stall give each command 15 s rather
/// than the lock's 2 s: the client reads replies on the thread pool, which this test process's other tests can keep
/// busy for longer than 2 s on a 2-core machine (a CI run failed so).
/// </summary>
public sealed class RedisRenderLockTests : IDisposable
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(15);
    private readonly RedisServer _redis = new();
    private readonly ConnectionMultiplexer _look;

    public RedisRenderLockTests() => _look = ConnectionMultiplexer.Connect($"127.0.0.1:{_redis.Port},allowAdmin=true,syncTimeout=15000");

    private string Endpoint => $"127.0.0.1:{_redis.Port}";

    [Fact]
    public async Task AHolderThatLivesKeepsItsKeyPastTheHoldAndReleasesIt()
    {
        using var holder = RedisRenderLock.Connect(Endpoint, TimeSpan.FromSeconds(30), Hold, Patient);
        var lease = holder.Acquire("long-render");
        Assert.NotNull(lease);

        await Task.Delay(Hold * 2.5);

        Assert.True(await _look.GetDatabase().KeyExistsAsync("buildimages:render:long-render"), "renewed while held");
        lease.Dispose();
        Assert.False(await _look.GetDatabase().KeyExistsAsync("buildimages:render:long-render"), "released");
        using var next = holder.Acquire("long-render");
        Assert.NotNull(next);
    }

    [Fact]
    public void AHolderThatDiesWithoutReleasingFreesItsKeyWithinAboutOneHold()
    {
        var dead = RedisRenderLock.Connect(Endpoint, TimeSpan.FromSeconds(30), Hold, Patient);
        Assert.NotNull(dead.Acquire("dead-holder"));
        dead.Dispose();
        using var waiter = RedisRenderLock.Connect(Endpoint, TimeSpan.FromSeconds(60), Hold, Patient);

        var clock = Stopwatch.StartNew();
        var lease = waiter.Acquire("dead-holder");

        // Null: the key went away while it waited; the caller looks in the cache, then draws the card itself.
        Assert.Null(lease);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, Hold * 4);
        Assert.False(_look.GetDatabase().KeyExists("buildimages:render:dead-holder"));
    }

    [Fact]
    public void AWaiterStopsWaitingAtItsBoundWhileTheHolderStillRenders()
    {
        using var holder = RedisRenderLock.Connect(Endpoint, TimeSpan.FromSeconds(30), Hold, Patient);
        using var lease = holder.Acquire("slow-render");
        Assert.NotNull(lease);
        using var waiter = RedisRenderLock.Connect(Endpoint, TimeSpan.FromSeconds(1.5), Hold, Patient);

        var clock = Stopwatch.StartNew();
        Assert.Null(waiter.Acquire("slow-render"));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"waited {clock.Elapsed}");
        Assert.True(_look.GetDatabase().KeyExists("buildimages:render:slow-render"), "the holder still holds it");
    }

    [Fact]
    public async Task AWaiterWaitsThroughAStallThatFailsItsPollsAndEndsWithTheRelease()
    {
        // The holder's key lives 60 s, so only its release ends the wait.
        using var holder = RedisRenderLock.Connect(Endpoint, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), Patient);
        var lease = holder.Acquire("stalled-render");
        Assert.NotNull(lease);
        using var waiter = RedisRenderLock.Connect(Endpoint, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        var waiting = Task.Factory.StartNew(() => (Lease: waiter.Acquire("stalled-render"), Ended: clock.Elapsed), TaskCreationOptions.LongRunning);
        await PollingStarted();

        // Redis answers no one for 5 s: the waiter's 2 s polls time out at least twice. The release, sent during the
        // stall, lands after it.
        await _look.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "5000", "ALL");
        var releaseSent = clock.Elapsed;
        lease.Dispose();
        var (late, ended) = await waiting;

        Assert.Null(late);
        Assert.True(ended >= releaseSent, $"the waiter ended at {ended}, before the release was sent at {releaseSent}");
        Assert.InRange(ended - releaseSent, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AWaiterWhoseRedisIsGoneStopsWaitingAfterAHoldOfFailedPolls()
    {
        var lost = new RedisServer();
        using var holder = RedisRenderLock.Connect($"127.0.0.1:{lost.Port}", TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(120), Patient);
        Assert.NotNull(holder.Acquire("lost-render"));
        using var waiter = RedisRenderLock.Connect($"127.0.0.1:{lost.Port}", TimeSpan.FromSeconds(120), Hold);
        var clock = Stopwatch.StartNew();
        var waiting = Task.Factory.StartNew(() => (Lease: waiter.Acquire("lost-render"), Ended: clock.Elapsed), TaskCreationOptions.LongRunning);
        await PollingStarted($"127.0.0.1:{lost.Port}");

        var goneAt = clock.Elapsed;
        lost.Dispose();
        var (lease, ended) = await waiting;

        // Not the 120 s bound: a hold (6 s) of failed polls, plus one poll's timeout and the machine's slack.
        Assert.Null(lease);
        Assert.InRange(ended - goneAt, Hold, Hold + TimeSpan.FromSeconds(30));
    }

    /// <summary>Returns once some client's last command to the Redis at <paramref name="endpoint"/> was a poll.</summary>
    private async Task PollingStarted(string? endpoint = null)
    {
        using var look = endpoint is null ? null : await ConnectionMultiplexer.ConnectAsync($"{endpoint},allowAdmin=true,syncTimeout=15000");
        var server = (look ?? _look).GetServer(endpoint ?? Endpoint);
        var clock = Stopwatch.StartNew();
        while (!(await server.ClientListAsync()).Any(client => client.LastCommand == "exists"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the waiter never polled");
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        _look.Dispose();
        _redis.Dispose();
    }
}
