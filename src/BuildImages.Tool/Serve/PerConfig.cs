using BuildImages.Core.Configuration;

namespace BuildImages.Tool.Serve;

/// <summary>
/// A value made from the configuration, made again when a new configuration is loaded. The pair is swapped whole,
/// so request threads never see one configuration's value with another's configuration.
/// </summary>
internal sealed class PerConfig<T>(Func<BuildConfig, T> make)
{
    private Entry? _current;

    internal T For(BuildConfig config)
    {
        var current = Volatile.Read(ref _current);
        if (current is null || !ReferenceEquals(current.Config, config))
        {
            current = new Entry(config, make(config));
            Volatile.Write(ref _current, current);
        }
        return current.Value;
    }

    private sealed record Entry(BuildConfig Config, T Value);
}
