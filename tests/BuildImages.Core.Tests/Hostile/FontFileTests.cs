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

    /// <summary>Inter with one change, as a file whose name and character map read well (the catalog's old checks).</summary>
    private static byte[] DamagedInter(string kind)
    {
        var font = File.ReadAllBytes(Path.Combine(TestCards.RepoRoot, "tests", "Fonts", "pinned", "Inter-Regular.otf"));
        var (record, offset, length) = TableRecord(font, kind == "head magic" ? "head" : "CFF ");
        switch (kind)
        {
            case "cut in its glyphs":
                // A download cut short: the name and cmap tables come first in this file and are whole.
                Assert.True(TableRecord(font, "name").Offset < offset && TableRecord(font, "cmap").Offset < offset);
                return font[..(offset + (length / 2))];
            case "no glyph table":
                font[record] = (byte)'X';
                return font;
            case "head magic":
                BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(offset + 12), 0);
                return font;
            default:
                // A CFF table whose header says version 9: FreeType, and so Skia, refuse it; HarfBuzz and the catalog do not look.
                font[offset] = 9;
                return font;
        }
    }

    private static (int Record, int Offset, int Length) TableRecord(byte[] font, string tag)
    {
        for (var i = 0; i < BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4)); i++)
        {
            var record = 12 + (i * 16);
            if (System.Text.Encoding.ASCII.GetString(font, record, 4) == tag)
            {
                return (record, (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(record + 8)), (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(record + 12)));
            }
        }
        throw new InvalidOperationException($"no {tag} table");
    }

    [Theory]
    [InlineData("cut in its glyphs", "past the file's end")]
    [InlineData("no glyph table", "no glyphs")]
    [InlineData("head magic", "'head' table is damaged")]
    public void AFontWhoseGlyphTablesAreMissingOrCutShortIsBI0402WhenTheFolderIsRead(string kind, string words)
    {
        var file = Path.Combine(_dir, "Inter-Regular.otf");
        File.WriteAllBytes(file, DamagedInter(kind));

        var ex = Assert.ThrowsAny<BuildInputException>(() => _ = new FontCatalog([_dir]));

        Assert.Equal(("BI0402", file), (ex.Diagnostic.Code, ex.Diagnostic.File));
        Assert.Contains(words, ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFontSkiaRefusesFailsItsCardWithBI0402NamingTheFileNotAnInternalError()
    {
        var fonts = Directory.CreateDirectory(Path.Combine(_dir, "fonts")).FullName;
        var file = Path.Combine(fonts, "Inter-Regular.otf");
        File.WriteAllBytes(file, DamagedInter("CFF version"));
        File.WriteAllText(Path.Combine(_dir, "card.sbn"), """<card width="200" height="80" background="#fff" color="#000" font-family="Inter"><text font-size="20">Hello</text></card>""");
        using var engine = new Core.Rendering.CardEngine(new Core.Configuration.EngineOptions { TemplateRoots = [_dir], FontFolders = [fonts], SystemFonts = false });
        using var renderer = engine.CreateRenderer();

        var ex = Assert.ThrowsAny<BuildInputException>(() =>
        {
            using var prepared = renderer.Prepare(Path.Combine(_dir, "card.sbn"), new Dictionary<string, object?>(), new Core.Templates.CardSize(200, 80));
            _ = prepared.DrawAtWidth(200);
        });

        Assert.Equal(("BI0402", file), (ex.Diagnostic.Code, ex.Diagnostic.File));
        Assert.Contains("cannot be drawn", ex.Diagnostic.Message, StringComparison.Ordinal);
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
