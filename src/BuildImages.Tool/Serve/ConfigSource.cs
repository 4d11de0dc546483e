using BuildImages.Core.Configuration;

namespace BuildImages.Tool.Serve;

/// <summary>The server's configuration, loaded again when the file changes (a new job mapping applies without a restart).</summary>
internal sealed class ConfigSource(string file)
{
    private readonly object _lock = new();
    private (DateTime Time, long Length) _stamp;
    private BuildConfig? _config;

    internal string File { get; } = file;

    /// <summary>The current configuration, or null while it does not load.</summary>
    internal BuildConfig? TryCurrent()
    {
        try
        {
            return Current();
        }
        catch (Core.Diagnostics.BuildInputException)
        {
            return null;
        }
    }

    /// <summary>The current configuration; a file that no longer loads throws <see cref="Core.Diagnostics.BuildInputException"/> naming it.</summary>
    internal BuildConfig Current()
    {
        var info = new FileInfo(File);
        var stamp = (info.LastWriteTimeUtc, info.Exists ? info.Length : -1);
        lock (_lock)
        {
            if (_config is null || stamp != _stamp)
            {
                _config = ConfigLoader.Load(File);
                _stamp = stamp;
            }
            return _config;
        }
    }
}
