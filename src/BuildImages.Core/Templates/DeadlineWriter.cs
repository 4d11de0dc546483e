using System.Diagnostics;
using System.Text;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Templates;

/// <summary>
/// Collects template output and stops a runaway template: past the time limit or the size limit the
/// next write throws. (A thread cannot be aborted in .NET; checking on every write is the safe stop.)
/// </summary>
internal sealed class DeadlineWriter(TimeSpan limit, int maxChars, string file) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
{
    private readonly long _deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
    private int _checks;

    public override void Write(char value)
    {
        Check(1);
        base.Write(value);
    }

    public override void Write(string? value)
    {
        Check(value?.Length ?? 0);
        base.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        Check(count);
        base.Write(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Check(buffer.Length);
        base.Write(buffer);
    }

    public override void Write(StringBuilder? value)
    {
        Check(value?.Length ?? 0);
        base.Write(value);
    }

    private void Check(int adding)
    {
        if (GetStringBuilder().Length + adding > maxChars)
        {
            throw CardException.Error(DiagnosticCodes.TemplateTimeLimit, $"template output passed {maxChars:N0} characters; is a loop running away?", file);
        }
        if ((++_checks & 63) == 0 && Stopwatch.GetTimestamp() > _deadline)
        {
            throw CardException.Error(DiagnosticCodes.TemplateTimeLimit, $"template evaluation passed its time limit of {limit.TotalMilliseconds:0} ms", file);
        }
    }
}
