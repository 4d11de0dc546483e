using System.Diagnostics;
using System.Globalization;
using BuildImages.Core.Build;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Tool;

/// <summary>
/// Shows a build: on a terminal a progress line (done, rendered vs skipped, rate, ETA) redrawn in place;
/// otherwise (redirected, CI) plain lines with no control characters. Quiet shows only problems.
/// </summary>
internal sealed class ConsoleReporter(ToolConsole console, bool quiet, bool explain, bool dryRun = false) : IBuildObserver
{
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _progress = console.IsTerminal && !quiet;
    private int _total;
    private int _toRender;
    private int _done;
    private int _rendered;
    private int _skipped;
    private long _lastDraw;
    private bool _barShown;

    public void Planned(int outputs, int toRender)
    {
        lock (_lock)
        {
            (_total, _toRender) = (outputs, toRender);
            if (!quiet && !_progress)
            {
                console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{outputs} outputs planned, {toRender} to render"));
            }
        }
    }

    public void Output(OutputOutcome outcome)
    {
        lock (_lock)
        {
            _done++;
            if (outcome.Status == OutputStatus.Skipped)
            {
                _skipped++;
            }
            else if (outcome.Status is OutputStatus.Rendered or OutputStatus.Deduplicated or OutputStatus.Fetched)
            {
                _rendered++;
            }
            var line = Describe(outcome);
            if (line is not null && !quiet)
            {
                ClearBar();
                console.Error.WriteLine(line);
            }
            DrawBar();
        }
    }

    /// <summary>A no-op: counted, not walked (a skipped output prints nothing, and the record holds millions).</summary>
    public void UpToDate(IReadOnlyList<OutputOutcome> outcomes)
    {
        lock (_lock)
        {
            _done += outcomes.Count;
            _skipped += outcomes.Count;
            DrawBar();
        }
    }

    public void Diagnostic(Diagnostic diagnostic)
    {
        lock (_lock)
        {
            if (quiet && diagnostic.Severity == DiagnosticSeverity.Warning)
            {
                return;
            }
            ClearBar();
            console.Error.WriteLine(diagnostic);
            DrawBar();
        }
    }

    public void Message(string text)
    {
        lock (_lock)
        {
            ClearBar();
            console.Error.WriteLine(Printable.Of(text));
            DrawBar();
        }
    }

    /// <summary>Clears the progress line and prints the summary.</summary>
    internal void Finish(BuildReport report, ProcessTiming? timing = null)
    {
        lock (_lock)
        {
            ClearBar();
            if (!quiet)
            {
                console.Out.WriteLine(report.Summary(timing));
            }
        }
    }

    private string? Describe(OutputOutcome o)
    {
        var why = explain && o.Reason is not null ? $" ({Printable.Of(o.Reason.Detail)})" : string.Empty;
        return o.Status switch
        {
            OutputStatus.Rendered when dryRun => string.Create(CultureInfo.InvariantCulture, $"would render {o.Path} {o.Width}x{o.Height}{why}"),
            OutputStatus.Rendered when explain || !_progress => string.Create(CultureInfo.InvariantCulture, $"rendered {o.Path} {o.Width}x{o.Height} {o.Bytes / 1024.0:0.0} KiB{why}"),
            OutputStatus.Deduplicated when explain || !_progress => $"copied {o.Path} (identical to another item's card){why}",
            OutputStatus.Fetched when explain || !_progress => string.Create(CultureInfo.InvariantCulture, $"fetched {o.Path} {o.Width}x{o.Height} {o.Bytes / 1024.0:0.0} KiB from the remote cache{why}"),
            OutputStatus.Pruned => $"pruned {o.Path} (its item is gone)",
            OutputStatus.Original => $"copied {o.Path} unchanged (its source could not be read)",
            _ => null,
        };
    }

    private void DrawBar()
    {
        if (!_progress || _total == 0)
        {
            return;
        }
        var now = _clock.ElapsedMilliseconds;
        if (now - _lastDraw < 100 && _done < _total)
        {
            return;
        }
        _lastDraw = now;
        const int width = 24;
        var filled = (int)Math.Round(width * (double)_done / _total);
        var seconds = Math.Max(0.001, now / 1000.0);
        var rate = _rendered / seconds;
        var left = Math.Max(0, _toRender - _rendered);
        var eta = rate > 0 ? TimeSpan.FromSeconds(left / rate) : TimeSpan.Zero;
        console.Error.Write(string.Create(CultureInfo.InvariantCulture,
            $"\r[{new string('#', filled)}{new string('.', width - filled)}] {_done}/{_total}  rendered {_rendered}  skipped {_skipped}  {rate:0.0}/s  ETA {eta:m\\:ss}  "));
        _barShown = true;
    }

    private void ClearBar()
    {
        if (_barShown)
        {
            console.Error.Write("\r\u001b[2K");
            _barShown = false;
        }
    }
}
