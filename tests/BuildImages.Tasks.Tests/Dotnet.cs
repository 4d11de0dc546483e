using System.Diagnostics;

namespace BuildImages.Tasks.Tests;

/// <summary>Runs the dotnet CLI as a user would, in a folder, and returns its exit code and everything it printed.</summary>
internal static class Dotnet
{
    internal static (int Code, string Output) Run(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        // A build server from an earlier test must not hold an older copy of the task (unless reuse is what is tested).
        if (!args.Contains("-nodeReuse:true"))
        {
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }
}
