using System.Text.RegularExpressions;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests;

/// <summary>
/// The numbered corpus in tests/Mistakes: mistakes a new user makes, each a folder of files laid over the site in
/// tests/Mistakes/_site (three posts, a small template), and <c>expected.txt</c>: the first line is
/// <c>CODE file(line,col)</c> (the file relative to the site; the position optional), the following lines are words the
/// message must hold (a "did you mean" among them where there is a near name). Every case asserts its one located
/// diagnostic, that no diagnostic is BI0009 (a bug), and that a mistake in a template or its markup, which every item
/// shares, is reported once, not once per item. Adding a case is adding files.
/// </summary>
public sealed partial class MistakeCorpusTests : IDisposable
{
    private static readonly string Corpus = Path.Combine(TestCards.RepoRoot, "tests", "Mistakes");
    private readonly string _root = Directory.CreateTempSubdirectory("bi-mistake-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.EnumerateDirectories(Corpus).Select(Path.GetFileName).OfType<string>().Where(d => !d.StartsWith('_')).Order(StringComparer.Ordinal))
        {
            data.Add(dir);
        }
        return data;
    }

    [Fact]
    public void TheCorpusHoldsAtLeastTwentyMistakes() => Assert.True(Cases().Count >= 20, $"{Cases().Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void AMistakeIsOneLocatedDiagnosticInOurWords(string name)
    {
        Lay(Path.Combine(Corpus, "_site"));
        Lay(Path.Combine(Corpus, name));
        var expected = File.ReadAllLines(Path.Combine(Corpus, name, "expected.txt")).Where(l => l.Length > 0).ToList();
        var head = Head().Match(expected[0]);
        Assert.True(head.Success, "expected.txt begins with 'CODE file(line,col)'");

        var diagnostics = Build();

        Assert.DoesNotContain(diagnostics, d => d.Code == DiagnosticCodes.InternalError);
        var code = head.Groups["code"].Value;
        var found = diagnostics.Where(d => d.Code == code).ToList();
        Assert.True(found.Count == 1, $"{found.Count} {code} diagnostics (one expected) among:\n{string.Join('\n', diagnostics)}");
        var d = found[0];
        Assert.Equal(Path.Combine(_root, head.Groups["file"].Value.Replace('/', Path.DirectorySeparatorChar)), d.File);
        if (head.Groups["line"].Success)
        {
            Assert.Equal((int.Parse(head.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(head.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture)), (d.Line, d.Column));
        }
        foreach (var words in expected.Skip(1))
        {
            Assert.True(d.ToString().Contains(words, StringComparison.Ordinal), $"'{words}' is not in: {d}");
        }
    }

    /// <summary>A build of the laid-out site: its errors and warnings, or the one configuration error that stopped it.</summary>
    private List<Diagnostic> Build()
    {
        var observer = new RecordingObserver();
        try
        {
            new BatchBuilder(ConfigLoader.Load(Path.Combine(_root, "buildimages.json")), new BuildOptions { Parallelism = 2 }, observer).Run();
        }
        catch (BuildInputException ex)
        {
            return [ex.Diagnostic];
        }
        return observer.Diagnostics;
    }

    private void Lay(string from)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative == "expected.txt")
            {
                continue;
            }
            var target = Path.Combine(_root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    [GeneratedRegex(@"^(?<code>BI\d{4}) (?<file>[^(]+)(\((?<line>\d+),(?<col>\d+)\))?$")]
    private static partial Regex Head();
}
