using System.Diagnostics;
using BuildImages.Tool.Serve;
using StackExchange.Redis;

namespace BuildImages.Tool.Tests.Serve;

/// <summary>
/// The Redis render lock against a real Redis on loopback: a living holder keeps its key past the hold, a dead one
/// frees it within about one hold, and a waiter never waits past its bound. The hold is 6 s here (renewed every
/// 2 s), so a renewal may run late by 4 s on a busy machine before a check could fail.
/// </summary>
public sealed class RedisRenderLockTests : IDisposable
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(6);
    private readonly RedisServer _redis = new();
    private readonly ConnectionMultiplexer _look;

    public RedisRenderLockTests() => _look = ConnectionMultiplexer.Connect($"127.0.0.1:{_redis.Port}");

    private string Endpoint => $"127.0.0.1:{_redis.Port}";

    [Fact]
    public async Task AHolderThatLivesKeepsItsKeyPastTheHoldAndReleasesIt()
    {
        using var holder = RedisRenderLock.Connect(Endpoint, TimeSpan.FromSeconds(30), Hold);
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
        var dead = RedisRenderLock.Connect(Endpoint, TimeSpan.FromSeconds(30), Hold);
        Assert.NotNull(dead.Acquire("dead-holder"));
        dead.Dispose();
        using var waiter = RedisRenderLock.Connect(Endpoint, TimeSpan.FromSeconds(60), Hold);

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
        using var holder = RedisRenderLock.Connect(Endpoint, TimeSpan.FromSeconds(30), Hold);
        using var lease = holder.Acquire("slow-render");
        Assert.NotNull(lease);
        using var waiter = RedisRenderLock.Connect(Endpoint, TimeSpan.FromSeconds(1.5), Hold);

        var clock = Stopwatch.StartNew();
        Assert.Null(waiter.Acquire("slow-render"));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"waited {clock.Elapsed}");
        Assert.True(_look.GetDatabase().KeyExists("buildimages:render:slow-render"), "the holder still holds it");
    }

    public void Dispose()
    {
        _look.Dispose();
        _redis.Dispose();
    }
}
