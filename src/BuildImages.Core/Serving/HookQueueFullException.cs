namespace BuildImages.Core.Serving;

/// <summary>The render pool holds as many waiting items as it may; the caller should retry later.</summary>
public sealed class HookQueueFullException(int waiting, int capacity)
    : Exception($"the render queue is full ({waiting} of {capacity} items waiting); retry later")
{
    public int Waiting { get; } = waiting;

    public int Capacity { get; } = capacity;
}
