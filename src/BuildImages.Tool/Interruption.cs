using System.Runtime.InteropServices;

namespace BuildImages.Tool;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM, the signal CI runners and Kubernetes send, stop a build the same way: no new
/// items are taken, what is in flight finishes and is recorded, the manifest, images.json and caches are written.
/// A second signal ends the process at once.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration? _term;
    private volatile bool _terminated;

    internal Interruption()
    {
        Console.CancelKeyPress += OnCancelKey;
        // Not every platform has SIGTERM (Windows); Ctrl-C is then the only way in.
        try
        {
            _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerm);
        }
        catch (PlatformNotSupportedException)
        {
            _term = null;
        }
    }

    internal CancellationToken Token => _cancel.Token;

    /// <summary>The exit code for an interrupted run: 143 after SIGTERM, 130 after Ctrl-C, as shells report them.</summary>
    internal int ExitCode => _terminated ? ExitCodes.Terminated : ExitCodes.Cancelled;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKey;
        _term?.Dispose();
        _cancel.Dispose();
    }

    private void OnCancelKey(object? sender, ConsoleCancelEventArgs e) => e.Cancel = Stop();

    private void OnTerm(PosixSignalContext context)
    {
        _terminated = true;
        context.Cancel = Stop();
    }

    /// <summary>Cancels the first time (the process goes on to finish cleanly); false the second time (the default action ends it).</summary>
    private bool Stop()
    {
        if (_cancel.IsCancellationRequested)
        {
            return false;
        }
        _cancel.Cancel();
        return true;
    }
}
