using BuildImages.Core.Build;

namespace BuildImages.Core.Serving;

/// <summary>Told what the render pool does, for the server's metrics. Called from the pool's loop and from request threads.</summary>
public interface IHookQueueObserver
{
    /// <summary>A request joined a render already waiting or in flight instead of adding one.</summary>
    void Coalesced();

    /// <summary>A batch of <paramref name="items"/> items of one job was built.</summary>
    void Batch(string job, int items, BuildReport report, TimeSpan elapsed);

    /// <summary>A whole batch failed before or while building (configuration, lock) with this code.</summary>
    void Failed(string job, int items, string code, TimeSpan elapsed);
}

/// <summary>An observer that ignores everything.</summary>
internal sealed class NullHookQueueObserver : IHookQueueObserver
{
    public static NullHookQueueObserver Instance { get; } = new();

    public void Coalesced()
    {
    }

    public void Batch(string job, int items, BuildReport report, TimeSpan elapsed)
    {
    }

    public void Failed(string job, int items, string code, TimeSpan elapsed)
    {
    }
}
