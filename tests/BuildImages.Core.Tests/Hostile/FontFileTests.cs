using System.Buffers.Binary;
using System.IO.Compression;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Text;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>Font files that are not fonts, or WOFF files built to inflate without end, fail fast with BI0402 naming the file.</summary>
public sealed class FontFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bi-fonts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] RealTtf() =>
        WoffUnpacker.ToSfnt(File.ReadAllBytes(Path.Combine(TestCards.RepoRoot, "tests", "Fonts", "woff", "pacifico-latin-400-normal.woff")));

    public static TheoryData<string, string> BadFonts => new() { { "empty", "empty.ttf" }, { "jpeg", "photo.ttf" }, { "truncated", "cut.ttf" }, { "corrupt", "noise.otf" } };

    [Theory]
    [MemberData(nameof(BadFonts))]
    public void AFontFileThatIsNotAFontIsBI0402NamingIt(string kind, string name)
    {
        var ttf = RealTtf();
        var bytes = kind switch
        {
            "empty" => [],
            "jpeg" => Core.Encoders.VariantEncoder.Encode(new Core.Pixels.RenderedCard(new byte[4 * 8 * 8], 8, 8, 32), new Core.Encoders.EncodeOptions(Core.Encoders.ImageFormat.Jpeg)),
            "truncated" => ttf[..(ttf.Length / 8)],
            _ => [.. ttf[..12], .. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))],
        };
        var file = Path.Combine(_dir, name);
        File.WriteAllBytes(file, bytes);
        File.WriteAllText(Path.Combine(_dir, "OFL.txt"), "a licence beside the fonts is not a font and is not checked");

        var ex = Assert.ThrowsAny<BuildInputException>(() => _ = new FontCatalog([_dir]));

        Assert.Equal("BI0402", ex.Diagnostic.Code);
        Assert.Equal(file, ex.Diagnostic.File);
        Assert.Contains("cannot be read as a font", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReadableTtfAndOtherFilesBesideItAreAccepted()
    {
        File.WriteAllBytes(Path.Combine(_dir, "pacifico.ttf"), RealTtf());
        File.WriteAllText(Path.Combine(_dir, "README.md"), "fonts");
        var catalog = new FontCatalog([_dir]);
        Assert.True(catalog.HasFamily("Pacifico"));
    }

    [Fact]
    public void AWoffWhoseTablesShareOneInflatingStreamFailsBeforeInflating()
    {
        // 60 tables, each declaring 16 MB, all pointing at one ~16 KB zlib stream of zeros: 960 MB if inflated.
        var zeros = new MemoryStream();
        using (var z = new ZLibStream(zeros, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(new byte[16 << 20]);
        }
        const int tables = 60;
        var stream = zeros.ToArray();
        var woff = new byte[44 + (tables * 20) + stream.Length];
        BinaryPrimitives.WriteUInt32BigEndian(woff, 0x774F4646);
        BinaryPrimitives.WriteUInt32BigEndian(woff.AsSpan(4), 0x00010000);
        BinaryPrimitives.WriteUInt32BigEndian(woff.AsSpan(8), (uint)woff.Length);
        BinaryPrimitives.WriteUInt16BigEndian(woff.AsSpan(12), tables);
        for (var i = 0; i < tables; i++)
        {
            var entry = woff.AsSpan(44 + (i * 20));
            BinaryPrimitives.WriteUInt32BigEndian(entry, 0x61616100u + (uint)i);
            BinaryPrimitives.WriteUInt32BigEndian(entry[4..], (uint)(44 + (tables * 20)));
            BinaryPrimitives.WriteUInt32BigEndian(entry[8..], (uint)stream.Length);
            BinaryPrimitives.WriteUInt32BigEndian(entry[12..], 16u << 20);
        }
        stream.CopyTo(woff, 44 + (tables * 20));
        var file = Path.Combine(_dir, "bomb.woff");
        File.WriteAllBytes(file, woff);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.ThrowsAny<BuildInputException>(() => _ = new FontCatalog([_dir]));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(("BI0402", file), (ex.Diagnostic.Code, ex.Diagnostic.File));
        Assert.Contains("the limit is", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.True(allocated < 8 << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void AWoffDeclaringMoreTablesThanItHoldsIsRefused()
    {
        var woff = new byte[64];
        BinaryPrimitives.WriteUInt32BigEndian(woff, 0x774F4646);
        BinaryPrimitives.WriteUInt16BigEndian(woff.AsSpan(12), 60_000);
        Assert.Throws<InvalidDataException>(() => WoffUnpacker.ToSfnt(woff));
    }
}
