using System.Diagnostics;

namespace BuildImages.Benchmarks;

/// <summary>Runs Debian's tesseract as a child process, one thread each (the bench runs one per core).</summary>
internal static class Tesseract
{
    internal static bool Available()
    {
        try
        {
            return Version().Length > 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    internal static string Version() => Run(["--version"]).Split('\n')[0].Replace("tesseract ", "", StringComparison.Ordinal).Trim();

    // psm 6 (one uniform block, which the pages are): the measurement is of legibility, not of tesseract's page
    // segmentation, which with the automatic psm 3 sometimes misreads a whole coloured page whatever its pixels.
    internal static string Read(string file) => Run([file, "stdout", "--psm", "6", "-l", "eng"]);

    private static string Run(string[] args)
    {
        var start = new ProcessStartInfo("tesseract") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["OMP_THREAD_LIMIT"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = stderr.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tesseract {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        }
        return text;
    }
}
