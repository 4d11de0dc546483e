using System.Text.RegularExpressions;

namespace BuildImages.Core.Native;

/// <summary>
/// Collects the GLib warnings libvips prints while one file is decoded or encoded, so they become our own
/// warnings naming that file. libvips logs on the thread doing the work, so the collector is per thread and
/// scoped to one file (<see cref="Collect"/>); outside a scope a warning has no file to name and is dropped, as are
/// the ones that say nothing about the output.
/// </summary>
internal static partial class VipsWarnings
{
    // Per thread by necessity: GLib's log handler is process-wide and carries no context of ours.
    [ThreadStatic]
    private static List<string>? _current;

    /// <summary>Starts collecting this thread's libvips warnings until the scope is disposed.</summary>
    internal static Scope Collect() => new(_current = []);

    internal static void Receive(string? domain, NetVips.Enums.LogLevelFlags level, string? message)
    {
        // Info and debug lines (what thumbnail decided) are libvips talking to itself: dropped.
        var serious = (level & (NetVips.Enums.LogLevelFlags.Warning | NetVips.Enums.LogLevelFlags.Critical)) != 0;
        if (serious && _current is { } list && message is not null && !Harmless(message))
        {
            list.Add(Tidy(message));
        }
    }

    /// <summary>Warnings that describe libvips' own choices, not the file: an encoder option this build lacks, colour data libheif does not use.</summary>
    private static bool Harmless(string message) =>
        message.Contains("ignoring trellis_quant", StringComparison.Ordinal)
        || message.Contains("ignoring overshoot_deringing", StringComparison.Ordinal)
        || message.Contains("ignoring optimize_scans", StringComparison.Ordinal)
        || message.Contains("ignoring quant_table", StringComparison.Ordinal)
        || message.Contains("ignoring nclx profile", StringComparison.Ordinal);

    private static string Tidy(string message) => Whitespace().Replace(message, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    internal readonly struct Scope(List<string> list) : IDisposable
    {
        /// <summary>The warnings so far, each once, in order.</summary>
        internal IReadOnlyList<string> Warnings => list.Distinct(StringComparer.Ordinal).ToList();

        public void Dispose() => _current = null;
    }
}
