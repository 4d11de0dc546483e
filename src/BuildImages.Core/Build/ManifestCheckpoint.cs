using System.Diagnostics;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>Saves the manifest now and then while rendering, so a killed build keeps the record of what it finished.</summary>
internal sealed class ManifestCheckpoint(ManifestStore store, TimeSpan interval, Func<ManifestDocument> snapshot)
{
    private readonly Lock _lock = new();
    private long _last = Stopwatch.GetTimestamp();

    internal void MaybeSave()
    {
        if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _last)) < interval || !_lock.TryEnter())
        {
            return;
        }
        try
        {
            store.Save(snapshot());
            Interlocked.Exchange(ref _last, Stopwatch.GetTimestamp());
        }
        finally
        {
            _lock.Exit();
        }
    }
}
