using System.Text;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Tests;

/// <summary>
/// A CSV data file read a block of rows at a time, through buffers of any size, gives the same items (ids, lines,
/// fields) or fails with the same located error (an unclosed quote, bytes that are not UTF-8, a row of the wrong
/// width) wherever a buffer cuts it: inside a quoted field, between the two quotes of an escaped one, inside a
/// multi-byte character or a byte order mark.
/// </summary>
public sealed class CsvItemReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, byte[]> Files() => new()
    {
        { "plain", Encoding.UTF8.GetBytes("slug,title\na,A\nb,B\n,no slug\n") },
        { "bom, crlf, semicolons", Encoding.UTF8.GetBytes("\uFEFFslug;title;price\r\nmug;\"Mug; large\";12.5\r\nposter;\"Poster \"\"A\"\"\r\nline two\";3\r\n") },
        { "multi-byte text", Encoding.UTF8.GetBytes("slug,title\nü,Grüße 😀 日本語\nø,\"— ‘quotes’ —, 𝄞\"\n") },
        { "escaped quotes everywhere", Encoding.UTF8.GetBytes("slug,title\na,\"\"\"\"\nb,\"x\"\"\"\"y\"\nc,\"\"\n") },
        { "blank lines and rows over several lines", Encoding.UTF8.GetBytes("slug,title\n\na,\"x\ny\"\n\n\nb,B\nc,\"1\r\n2\n3\"\r\nd,\"end\n\"") },
        { "only a header", Encoding.UTF8.GetBytes("slug,title\n") },
        { "empty", [] },
        { "a bom alone", Encoding.UTF8.GetBytes("\uFEFF") },
        { "a header twice", Encoding.UTF8.GetBytes("slug,slug\na,b\n") },
        { "a row too wide, late", Encoding.UTF8.GetBytes("slug,title\na,A\nb,B\nc,C\nd,D,extra\n") },
        { "a quote never closed", Encoding.UTF8.GetBytes("slug,title\r\nok,fine\r\nbad,\"unclosed, with a comma\r\nmore\r\n") },
        { "a quote closed by the last byte", Encoding.UTF8.GetBytes("slug,title\na,\"closed at the end\"") },
        { "an escaped quote at the end, unclosed", Encoding.UTF8.GetBytes("slug,title\na,\"open \"\"") },
        { "not utf-8 late", [.. "slug,title\na,fine\nb,Caf"u8, 0xE9, .. " au lait\n"u8] },
        { "a character cut off at the end", [.. "slug,title\na,x"u8, 0xE2, 0x82] },
        { "utf-16", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("slug,title\na,A\n")).ToArray() },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void ReadThroughAnyBufferInAnyBlocksItGivesTheSameItemsOrTheSameError(string what, byte[] bytes)
    {
        var file = Path.Combine(_dir, "items.csv");
        File.WriteAllBytes(file, bytes);
        var (expected, error) = Read(file, 1 << 16, 4096);
        foreach (var buffer in new[] { 4, 5, 7, 16, 64 })
        {
            foreach (var blockItems in new[] { 1, 2, 4096 })
            {
                var (items, thrown) = Read(file, buffer, blockItems);
                var label = $"{what}: {buffer}-byte buffer, {blockItems} items a block";
                Assert.True(Equals(error, thrown), $"{label}: {thrown} is not {error}");
                Assert.Equal(expected.Select(Describe), items.Select(Describe));
            }
        }
    }

    [Theory]
    [InlineData("slug,title\na,\"open \"\"", 2, 3)]
    [InlineData("slug,title\r\nok,fine\r\nbad,\"unclosed, with a comma\r\nmore\r\n", 3, 5)]
    public void AQuoteThatNeverClosesIsLocatedThroughSmallBuffers(string text, int line, int column)
    {
        var file = Path.Combine(_dir, "open.csv");
        File.WriteAllText(file, text);
        foreach (var buffer in new[] { 4, 5, 6, 9 })
        {
            var (_, error) = Read(file, buffer, 2);
            Assert.NotNull(error);
            Assert.Equal((DiagnosticCodes.DataSyntax, line, column), (error.Code, error.Line, error.Column));
            Assert.Contains("never closed", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ARowsLineIsTheLineItStartsOnPastBlankLinesAndFieldsOverSeveralLines()
    {
        var file = Path.Combine(_dir, "lines.csv");
        File.WriteAllText(file, "slug,title\n\na,\"x\ny\"\n\n\nb,B\nc,\"1\r\n2\n3\"\r\nd,D\n");
        var (items, error) = Read(file, 1 << 16, 10);
        Assert.Null(error);
        Assert.Equal([("a", 3), ("b", 7), ("c", 8), ("d", 11)], items.Select(i => (i.Id, i.Line)));
    }

    [Fact]
    public void TenThousandRowsComeInBlocksWithTheirLinesIdsAndSharedNames()
    {
        var text = new StringBuilder("slug,title,n\n");
        var line = 2;
        var lines = new List<int>();
        for (var i = 0; i < 10_000; i++)
        {
            lines.Add(line);
            // Every third without a slug (its id is its place), every fifth with a title over two lines.
            var title = i % 5 == 0 ? $"\"Post {i}\nmore 😀\"" : $"Post {i} 😀";
            text.Append(FormattableString.Invariant($"{(i % 3 == 0 ? string.Empty : $"p-{i}")},{title},{i}\n"));
            line += i % 5 == 0 ? 2 : 1;
        }
        var file = Path.Combine(_dir, "many.csv");
        File.WriteAllText(file, text.ToString());
        var blocks = new List<int>();
        var taken = new List<DataItem>();
        CsvItemReader.Read(file, b =>
        {
            blocks.Add(b.Count);
            taken.AddRange(b);
        }, blockItems: 4096, bufferBytes: 1000);

        Assert.Equal([4096, 4096, 1808], blocks);
        Assert.Equal(lines, taken.Select(i => i.Line));
        for (var i = 0; i < taken.Count; i++)
        {
            Assert.Equal(i % 3 == 0 ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"p-{i}", taken[i].Id);
            Assert.Equal(i % 5 == 0 ? $"Post {i}\nmore 😀" : $"Post {i} 😀", taken[i].Fields["title"]);
        }
        Assert.Same(taken[1].Fields.Keys, taken[9_998].Fields.Keys);
    }

    [Fact]
    public void ACsvFileThatFailsAfterSomeBlocksWereTakenIsDroppedWholeAndTheOtherFilesKeepTheirItems()
    {
        File.WriteAllText(Path.Combine(_dir, "a.csv"), "slug\na1\na2\n");
        var late = new StringBuilder("slug,title\n");
        for (var i = 0; i < 10_000; i++)
        {
            late.Append(FormattableString.Invariant($"b{i},B {i}\n"));
        }
        File.WriteAllText(Path.Combine(_dir, "b.csv"), late.Append("b-last,too,wide\n").ToString());
        File.WriteAllText(Path.Combine(_dir, "c.csv"), "slug\nc1\n");

        var loaded = DataLoader.LoadEach("*.csv", _dir);

        Assert.Equal(["a1", "a2", "c1"], loaded.Items.Select(i => i.Id));
        var failure = Assert.Single(loaded.Failures);
        Assert.EndsWith("b.csv", failure.File, StringComparison.Ordinal);
        Assert.Equal((DiagnosticCodes.DataSyntax, 10_002), (failure.Error.Code, failure.Error.Line));
        Assert.Contains("row has 3 fields but the header has 2", failure.Error.Message, StringComparison.Ordinal);
    }

    private static (List<DataItem> Items, Diagnostic? Error) Read(string file, int buffer, int blockItems)
    {
        var items = new List<DataItem>();
        try
        {
            CsvItemReader.Read(file, b =>
            {
                Assert.InRange(b.Count, 1, blockItems);
                items.AddRange(b);
            }, blockItems, buffer);
            return (items, null);
        }
        catch (BuildInputException ex)
        {
            // What a file that fails gives is dropped by the caller: compared only when it reads whole.
            return ([], ex.Diagnostic);
        }
    }

    private static string Describe(DataItem item) =>
        $"{item.Id}@{item.Line}: " + string.Join("|", item.Fields.Select(f => $"{f.Key}={f.Value}"));
}
