using System.Diagnostics;

namespace BuildImages.Tool;

/// <summary>Time since this process started (the kernel's start time, so .NET's own start-up is counted too).</summary>
internal static class ProcessClock
{
    internal static TimeSpan Elapsed
    {
        get
        {
            using var self = Process.GetCurrentProcess();
            return DateTime.Now - self.StartTime;
        }
    }
}
