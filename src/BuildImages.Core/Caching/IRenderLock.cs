namespace BuildImages.Core.Caching;

/// <summary>
/// Lets one process at a time render an output key across machines (hook server replicas behind one load balancer),
/// so another that wants the same output waits and then fetches it from the remote cache instead of rendering it
/// again. It only saves duplicate work: a lock that fails or waits too long lets the render go ahead.
/// </summary>
public interface IRenderLock
{
    /// <summary>
    /// Takes <paramref name="key"/> for this process and returns the lease (released once the output is stored); or,
    /// when another process holds it, waits until it is released (or a bound passes) and returns null: look in the
    /// cache again.
    /// </summary>
    IDisposable? Acquire(string key);
}
