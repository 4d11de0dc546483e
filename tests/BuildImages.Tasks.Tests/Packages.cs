using System.Diagnostics;

namespace BuildImages.Tasks.Tests;

/// <summary>
/// The BuildImages, BuildImages.AspNetCore and BuildImages.Tool packages, packed once per test run with a version of
/// their own (NuGet's cache never hands back an older build) into a folder the test projects use as their package
/// source. The version is a stable one, as a user's `dotnet add package` without a version takes only stable ones.
/// A version is used by one run only, so the folder and what the tests' restores extracted of it into NuGet's global
/// packages folder (about 700 MB a run) are deleted when the test process exits.
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
        var folder = Directory.CreateTempSubdirectory("bi-packages-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteRun(folder, version);
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

    private static void DeleteRun(string folder, string version)
    {
        var global = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var path in new[] { "buildimages", "buildimages.aspnetcore", "buildimages.tool" }.Select(id => Path.Combine(global, id, version)).Append(folder))
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
                // Best effort at exit: a file still held open leaves the folder for the next clean-up of /tmp.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
