using System.Diagnostics;

namespace BuildImages.Tasks.Tests;

/// <summary>
/// The BuildImages and BuildImages.AspNetCore packages, packed once per test run with a version of their own (NuGet's
/// cache never hands back an older build) into a folder the test projects use as their package source.
/// </summary>
internal static class Packages
{
    private static readonly Lazy<(string Folder, string Version)> Packed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    internal static string Folder => Packed.Value.Folder;

    internal static string Version => Packed.Value.Version;

    internal static string RepoRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "BuildImages.sln")))
                {
                    return d.FullName;
                }
            }
            throw new InvalidOperationException("repository root not found");
        }
    }

    private static (string Folder, string Version) Pack()
    {
        var version = $"0.4.0-web{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        var folder = Directory.CreateTempSubdirectory("bi-packages-").FullName;
        foreach (var project in new[] { "BuildImages.Tasks", "BuildImages.AspNetCore" })
        {
            var start = new ProcessStartInfo("dotnet", ["pack", Path.Combine(RepoRoot, "src", project), "-c", "Release", "--no-build", "-o", folder, $"-p:PackageVersion={version}", "--nologo"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var pack = Process.Start(start)!;
            var error = pack.StandardError.ReadToEndAsync();
            var output = pack.StandardOutput.ReadToEnd();
            pack.WaitForExit();
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException($"packing {project} failed:\n{output}{error.Result}");
            }
        }
        return (folder, version);
    }
}
