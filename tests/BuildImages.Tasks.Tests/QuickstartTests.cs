using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BuildImages.Tasks.Tests;

/// <summary>
/// The README's quickstart blocks (marked <c>&lt;!-- quickstart:NAME --&gt;</c>), run as written with bash in an empty
/// folder whose nuget.config serves the packages packed from this repository; only the fixed ports become free ones.
/// Each test then checks what the block claims to make.
/// </summary>
public sealed partial class QuickstartTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);
    private readonly string _root = Directory.CreateTempSubdirectory("bi-quickstart-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void TheReadmeHasAQuickstartForEachFront() =>
        Assert.Equal(["aspnetcore", "console", "tool", "serve"], Blocks().Select(b => b.Name));

    [Fact]
    [Trait("Category", "Slow")]
    public void TheAspNetCoreQuickstartServesTheCardItsPageNames()
    {
        var port = FreePort();
        var output = Run("aspnetcore", ("127.0.0.1:5123", $"127.0.0.1:{port}"));
        // The page's head carries the card's absolute URL and size, and the card is served.
        Assert.Matches($"""<meta property="og:image" content="http://127\.0\.0\.1:{port}/og/hello-world\.jpg\?v=[0-9a-f]+" />""", output);
        Assert.Contains("""<meta property="og:image:width" content="1200" />""", output, StringComparison.Ordinal);
        Assert.Contains("200 image/webp", output, StringComparison.Ordinal);
        var card = Path.Combine(_root, "MySite", "obj", "Debug", "net10.0", "buildimages", "wwwroot", "og", "hello-world.webp");
        Assert.Equal((1200, 630), Size(card));
        Assert.False(Directory.Exists(Path.Combine(_root, "MySite", "wwwroot", "og")), "nothing rendered into the source tree");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheConsoleQuickstartPublishesTheCardsAndImagesJson()
    {
        var output = Run("console");
        var site = Path.Combine(_root, "Gen", "pub", "site");
        Assert.Equal((1200, 630), Size(Path.Combine(site, "og", "launch.webp")));
        Assert.Equal((1200, 630), Size(Path.Combine(site, "og", "launch.jpg")));
        Assert.Matches(@"""url"": *""https://example\.com/og/launch\.webp\?v=[0-9a-f]+""", output);
        using var images = JsonDocument.Parse(File.ReadAllText(Path.Combine(site, "images.json")));
        Assert.Contains("og/launch.jpg", images.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheToolAndServeQuickstartsRenderThenSkipThenAnswerAHook()
    {
        var tool = Run("tool");
        var first = RenderedFirst().Match(tool);
        Assert.True(first.Success, tool);
        var rendered = int.Parse(first.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(rendered > 0, tool);
        Assert.Contains($"rendered 0, skipped {rendered},", tool, StringComparison.Ordinal);

        var port = FreePort();
        var serve = Run("serve", ("127.0.0.1:5080", $"127.0.0.1:{port}"));
        var answer = serve.Split('\n').Single(l => l.StartsWith("{\"job\"", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(answer);
        var item = json.RootElement.GetProperty("items")[0];
        Assert.Equal("rendered", item.GetProperty("status").GetString());
        Assert.Contains(item.GetProperty("files").EnumerateArray(), f => f.GetProperty("card").GetString() == "/cards/og/from-cms.webp");
        Assert.Contains("\n200\n", serve + "\n", StringComparison.Ordinal);
        Assert.Equal((1200, 630), Size(Path.Combine(_root, "wwwroot", "og", "from-cms.webp")));
    }

    /// <summary>Runs the named block in <see cref="_root"/> (its own process group, all of it killed afterwards) and returns its output; fails on a non-zero exit.</summary>
    private string Run(string name, params (string From, string To)[] replacements)
    {
        var text = Blocks().Single(b => b.Name == name).Text;
        foreach (var (from, to) in replacements)
        {
            Assert.Contains(from, text, StringComparison.Ordinal);
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        File.WriteAllText(Path.Combine(_root, "nuget.config"), Packages.NuGetConfig);
        var script = Path.Combine(_root, $".quickstart-{name}.sh");
        File.WriteAllText(script, text);
        // setsid: the block's background servers share its process group, so nothing outlives the test.
        var start = new ProcessStartInfo("setsid", ["bash", "-euo", "pipefail", script]) { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var bash = Process.Start(start)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        var finished = bash.WaitForExit(Limit);
        KillGroup(bash.Id);
        if (!finished)
        {
            bash.WaitForExit();
        }
        var output = stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult();
        Assert.True(finished, $"quickstart '{name}' did not finish in {Limit}:\n{output}");
        Assert.True(bash.ExitCode == 0, $"quickstart '{name}' failed ({bash.ExitCode}):\n{output}");
        return output;
    }

    private static void KillGroup(int leader)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", $"-{leader}"]) { RedirectStandardError = true })!;
        kill.WaitForExit();
    }

    private static IEnumerable<(string Name, string Text)> Blocks() =>
        Block().Matches(File.ReadAllText(Path.Combine(Packages.RepoRoot, "README.md"))).Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    private static (int Width, int Height) Size(string file)
    {
        var (_, width, height) = Core.Encoders.VariantEncoder.DecodeRgba(File.ReadAllBytes(file));
        return (width, height);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"<!-- quickstart:(\w+) -->\n```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex(@"^rendered (\d+), skipped 0,", RegexOptions.Multiline)]
    private static partial Regex RenderedFirst();
}
