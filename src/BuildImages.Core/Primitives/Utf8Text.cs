using System.Buffers;
using System.Text;
using System.Text.Unicode;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Primitives;

/// <summary>
/// The text files BuildImages reads (configuration, data, templates, template metadata) are UTF-8. A file that is not
/// (a CSV saved as Windows-1252 by a spreadsheet, a damaged download) is an error naming the file, the line and column
/// and the byte, never text with U+FFFD where its letters were, nor an exception from deep inside a JSON reader.
/// Validation is vectorised and costs far less than parsing the file.
/// </summary>
internal static class Utf8Text
{
    /// <summary>The file's text (a UTF-8 byte order mark dropped), or <see cref="BuildInputException"/> with <paramref name="code"/>.</summary>
    internal static string Read(string file, string code) => Encoding.UTF8.GetString(WithoutBom(ReadBytes(file, code)));

    /// <summary>The file's bytes once checked to be UTF-8, or <see cref="BuildInputException"/> with <paramref name="code"/>.</summary>
    internal static byte[] ReadBytes(string file, string code)
    {
        var bytes = File.ReadAllBytes(file);
        Check(bytes, file, code);
        return bytes;
    }

    /// <summary>Throws <see cref="BuildInputException"/> with <paramref name="code"/> at the first byte of <paramref name="bytes"/> that is not UTF-8.</summary>
    internal static void Check(ReadOnlySpan<byte> bytes, string file, string code)
    {
        if (FirstInvalid(bytes) is not { } at)
        {
            return;
        }
        var (line, column) = Position(bytes, at);
        throw BuildInputException.Error(code, $"the file is not UTF-8 text: byte 0x{bytes[at]:X2} at offset {at} starts no UTF-8 character (save the file as UTF-8)", file, line, column);
    }

    /// <summary>The offset of the first byte that is not part of valid UTF-8 (a sequence cut off at the end counts), or null.</summary>
    internal static int? FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return null;
        }
        Span<char> chars = stackalloc char[256];
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = Utf8.ToUtf16(bytes[offset..], chars, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            if (status is OperationStatus.InvalidData or OperationStatus.NeedMoreData)
            {
                return offset + read;
            }
            offset += read;
        }
        return null;
    }

    /// <summary>Line and column (1-based; columns count characters, not bytes) of a byte offset in UTF-8 text.</summary>
    internal static (int Line, int Column) Position(ReadOnlySpan<byte> utf8, int offset)
    {
        var before = utf8[..offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (before.Count((byte)'\n') + 1, Encoding.UTF8.GetCharCount(before[lineStart..]) + 1);
    }

    /// <summary>The UTF-8 byte-order mark, which a text file may begin with and which is not part of its text.</summary>
    internal static ReadOnlySpan<byte> ByteOrderMark => "\uFEFF"u8;

    private static ReadOnlySpan<byte> WithoutBom(byte[] bytes) => bytes.AsSpan().StartsWith(ByteOrderMark) ? bytes.AsSpan(ByteOrderMark.Length) : bytes;
}
