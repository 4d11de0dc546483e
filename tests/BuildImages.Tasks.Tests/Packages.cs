using System.Diagnostics;

namespace BuildImages.Tasks.Tests;

/// <summary>
/// The BuildImages, BuildImages.AspNetCore and BuildImages.Tool packages, packed once per test run with a version of
/// their own (NuGet's cache never hands back an older build) into a folder the test projects use as their package
/// source. The version is a stable one, as a user's `dotnet add package` without a version takes only stable ones.
/// A version is used by one run only, so the folder and what the tests' restores extracted of it into NuGet's global
/// packages folder (about 700 MB a run) are deleted by the next run (test versions only, two hours old, so a run
/// beside this one keeps its own). Not at exit: the VSTest host does not run exit handlers (tried: the folder stayed).
/// </summary>
internal static class Packages
{
    private static readonly Lazy<(string Folder, string Version)> Packed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    internal static string Folder => Packed.Value.Folder;

    internal static string Version => Packed.Value.Version;

    /// <summary>
    /// A nuget.config for a folder whose projects take BuildImages* from <see cref="Folder"/> and everything else
    /// (e.g. the Blazor template's own packages) from nuget.org, so a version-less <c>dotnet add package</c> finds ours.
    /// </summary>
    internal static string NuGetConfig => $"""
        <configuration>
          <packageSources><add key="buildimages" value="{Folder}" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>
          <packageSourceMapping>
            <packageSource key="buildimages"><package pattern="BuildImages" /><package pattern="BuildImages.*" /></packageSource>
            <packageSource key="nuget.org"><package pattern="*" /></packageSource>
          </packageSourceMapping>
        </configuration>
        """;

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
        var now = DateTime.UtcNow;
        var version = $"0.{now:yyMMdd}.{int.Parse(now.ToString("HHmmssfff", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)}";
        DeleteEarlierRuns();
        var folder = Directory.CreateTempSubdirectory("bi-packages-").FullName;
        foreach (var project in new[] { "BuildImages.Tasks", "BuildImages.AspNetCore", "BuildImages.Tool" })
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

    private static readonly string[] Ids = ["buildimages", "buildimages.aspnetcore", "buildimages.tool"];

    /// <summary>NuGet's global packages folder, where restores extract what they use.</summary>
    private static string GlobalPackages => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
        ? configured
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Test versions (0.yyMMdd.n from here, 0.3.0-e2e… from the tool's tests) and package folders over two hours old.</summary>
    private static void DeleteEarlierRuns()
    {
        var before = DateTime.UtcNow.AddHours(-2);
        var versions = Ids.Select(id => Path.Combine(GlobalPackages, id)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories)
            .Where(v => System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(v), @"^0\.\d{6}\.\d+$|^0\.3\.0-e2e\d+$"));
        var folders = Directory.EnumerateDirectories(Path.GetTempPath(), "bi-packages-*");
        foreach (var path in versions.Concat(folders).Where(p => Directory.GetLastWriteTimeUtc(p) < before).ToList())
        {
            Delete(path);
        }
    }

    private static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a file still held open leaves the folder for a later run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
