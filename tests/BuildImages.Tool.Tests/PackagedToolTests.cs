using System.Diagnostics;

namespace BuildImages.Tool.Tests;

/// <summary>End to end: pack the tool, install it as a local tool from the package folder, and use it as a user would.</summary>
public sealed class PackagedToolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-e2e-").FullName;

    // A version of its own, so NuGet's cache never hands back an older build of the package.
    private readonly string _version = $"0.3.0-e2e{DateTime.UtcNow:yyyyMMddHHmmssfff}";

    public void Dispose()
    {
        // The install extracted this version into NuGet's global packages folder (about 110 MB); no other run uses it.
        var global = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var folder in new[] { _dir, Path.Combine(global, "buildimages.tool", _version) })
        {
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public void PackInstallInitBuildRebuildAndRenderFromStdin()
    {
        var version = _version;
        var packages = Path.Combine(_dir, "packages");
        Run(_dir, "dotnet", "pack", Path.Combine(ToolRun.RepoRoot, "src", "BuildImages.Tool"), "-c", "Release", "-o", packages, $"-p:PackageVersion={version}", "--nologo");
        var site = Path.Combine(_dir, "site");
        Directory.CreateDirectory(site);
        Run(site, "dotnet", "new", "tool-manifest");
        Run(site, "dotnet", "tool", "install", "BuildImages.Tool", "--add-source", packages, "--version", version);

        Run(site, "dotnet", "build-images", "init");
        var first = Run(site, "dotnet", "build-images");
        Assert.Contains("rendered 12,", first, StringComparison.Ordinal);
        var card = Path.Combine(site, "wwwroot", "og", "kafka-road.webp");
        var (_, width, height) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(card));
        Assert.Equal((1200, 630), (width, height));

        var second = Run(site, "dotnet", "build-images");
        Assert.Contains("rendered 0, skipped 12,", second, StringComparison.Ordinal);

        var rendered = Run(site, "dotnet", ["build-images", "render", "--job", "blog-post", "--data", "-"], """{ "slug": "hook", "title": "From the publish hook" }""");
        var path = Path.Combine(site, "wwwroot", "og", "hook.webp");
        Assert.Contains(path, rendered, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
    }

    private static string Run(string dir, string file, params string[] args) => Run(dir, file, args, null);

    private static string Run(string dir, string file, string[] args, string? stdin)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} timed out");
        }
        var output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{output}");
        return output;
    }
}
