using BuildImages.Core.Build;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>Names from data: one file per name whatever its Unicode form, nothing invisible in a file name, messages on one printable line.</summary>
public sealed class NameAndMessageTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void SlugsEqualUnderNormalizationCollideAndNameEachOther()
    {
        var nfc = "caf\u00e9";
        var nfd = "cafe\u0301";
        _site.Items.Add(BuildFixture.Item(nfc, "Composed"));
        _site.Items.Add(BuildFixture.Item(nfd, "Decomposed"));
        _site.Save();

        var report = _site.Build();

        var error = Assert.Single(report.Errors);
        Assert.Equal("BI0021", error.Code);
        Assert.Contains("cards/" + nfc, error.Message, StringComparison.Ordinal);
        Assert.Contains("cards/" + nfd, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_site.Site, "og"), "caf*"));
    }

    [Fact]
    public void ADecomposedSlugIsWrittenComposed()
    {
        _site.Items.Add(BuildFixture.Item("cafe\u0301", "Decomposed"));
        _site.Save();

        var report = _site.Build();

        Assert.Empty(report.Errors);
        Assert.True(File.Exists(Path.Combine(_site.Site, "og", "caf\u00e9.webp")));
        Assert.Contains(report.Outputs, o => o.Path == "og/caf\u00e9.webp");
    }

    [Fact]
    public void InvisibleCharactersAreDroppedFromValuesAndRefusedInPatterns()
    {
        _site.Items.Add(BuildFixture.Item("evil\u202Egnp.exe\u200B", "Bidi override"));
        _site.Save();
        var report = _site.Build();
        Assert.Empty(report.Errors);
        Assert.True(File.Exists(Path.Combine(_site.Site, "og", "evilgnp.exe.webp")));
        Assert.DoesNotContain(Directory.GetFiles(_site.Site, "*", SearchOption.AllDirectories), f => f.Any(BuildImages.Core.Primitives.OutputPathRules.IsInvisible));

        var problem = BuildImages.Core.Primitives.OutputPathRules.Check("og/a\u202Eb").Problem;
        Assert.NotNull(problem);
        Assert.Contains("U+202E", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', problem);
    }

    [Fact]
    public void ADiagnosticNamingADataValueStaysOnOnePrintableLine()
    {
        var d = new Diagnostic(DiagnosticSeverity.Error, "BI0300", "image 'x\ny.png' not found", "/data/items.json", 3, 4, "cards/a\0b\nc\u202Ed");
        var text = d.ToString();
        Assert.Equal(@"/data/items.json(3,4): error BI0300: image 'x\ny.png' not found [item cards/a\u0000b\nc\u202Ed]", text);
        Assert.DoesNotContain(text, c => char.IsControl(c) || c == '\u202E');
    }

    [Fact]
    public void ALoneSurrogateInADataValueIsPrintedAsAnEscapeAndAPairAsItIs()
    {
        // Built here, not as theory data: a lone surrogate does not survive the test runner's serialisation of cases.
        (string Value, string Printed)[] cases =
        [
            ("a\uD800b", @"a\uD800b"),
            ("a\uDC00", @"a\uDC00"),
            ("\uDC00\uD800", @"\uDC00\uD800"),
            ("\uD83D\uDE00 ok", "\uD83D\uDE00 ok"),
            ("x\uD83D\uDE00\uD83D", "x\uD83D\uDE00\\uD83D"),
        ];
        foreach (var (value, printed) in cases)
        {
            Assert.Equal(printed, Printable.Of(value));
            var text = new Diagnostic(DiagnosticSeverity.Error, "BI0300", "not found", "/data/items.json", 3, 4, value).ToString();
            Assert.EndsWith($"[item {printed}]", text, StringComparison.Ordinal);
            // Printed text encodes to UTF-8 and back unchanged: nothing in it is a lone surrogate.
            Assert.Equal(text, System.Text.Encoding.UTF8.GetString(new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(text)));
        }
    }

    [Fact]
    public void ACancelledBuildCountsNoUnrenderedOutputAsAvoided()
    {
        _site.Config["pricePerRender"] = 0.01;
        _site.Save();
        using var cancel = new CancellationTokenSource();
        var observer = new RecordingObserver(o =>
        {
            if (o.Status == OutputStatus.Rendered)
            {
                cancel.Cancel();
            }
        });

        var report = _site.Build(new BuildOptions { Parallelism = 1 }, observer, cancel.Token);

        Assert.True(report.Cancelled);
        Assert.True(report.Rendered < 13);
        Assert.Equal(report.Skipped + report.Deduplicated, report.Cost.RendersAvoided);
        Assert.Equal(0, report.Cost.Saved);
        Assert.Contains("renders avoided 0 of 13", report.Summary(), StringComparison.Ordinal);
    }
}
