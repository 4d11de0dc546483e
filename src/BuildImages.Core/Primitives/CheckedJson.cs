using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BuildImages.Core.Primitives;

/// <summary>
/// A JSON object that carries the SHA-256 of the rest of itself as its first member, <c>{"check":"…",…}</c>, so a
/// bookkeeping file damaged on disk or in a CI cache (a flipped byte, a hand edit that still parses) is recognised
/// and thrown away instead of believed. Not a signature: whoever can write the file can write a matching check.
/// </summary>
internal static class CheckedJson
{
    private static readonly byte[] Prefix = "{\"check\":\""u8.ToArray();

    /// <summary>
    /// Writes the object <paramref name="write"/> makes with its check in front, a block at a time (a million outputs'
    /// times are never held whole). The check is filled in at the end, so <paramref name="destination"/> must seek.
    /// </summary>
    internal static void Write(Stream destination, Action<Utf8JsonWriter> write)
    {
        destination.Write(Prefix);
        var checkAt = destination.Position;
        destination.Write("0000000000000000000000000000000000000000000000000000000000000000\""u8);
        using var body = new CheckedBody(destination);
        using (var writer = new Utf8JsonWriter(body))
        {
            write(writer);
        }
        var check = body.Check();
        var end = destination.Position;
        destination.Position = checkAt;
        destination.Write(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(check)));
        destination.Position = end;
    }

    /// <summary>The object without its check when the check matches the rest, else null (no check, or not the one written).</summary>
    internal static byte[]? Read(ReadOnlySpan<byte> file)
    {
        const int hex = 64;
        if (!file.StartsWith(Prefix) || file.Length < Prefix.Length + hex + 2 || file[Prefix.Length + hex] != '"')
        {
            return null;
        }
        var check = file.Slice(Prefix.Length, hex);
        var rest = file[(Prefix.Length + hex + 1)..];
        byte[]? json = rest[0] switch
        {
            (byte)'}' => "{}"u8.ToArray(),
            (byte)',' => [(byte)'{', .. rest[1..]],
            _ => null,
        };
        if (json is null)
        {
            return null;
        }
        Span<byte> expected = stackalloc byte[hex];
        Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(json)), expected);
        return check.SequenceEqual(expected) ? json : null;
    }

    /// <summary>
    /// Hashes an object's bytes as they are written and passes them on after the check: its opening brace is the
    /// prefix's, and its first member follows the check's after a comma (an empty object just closes).
    /// </summary>
    private sealed class CheckedBody(Stream destination) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written;

        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return;
            }
            _hash.AppendData(buffer);
            var rest = buffer;
            if (_written == 0)
            {
                rest = buffer[0] == '{' ? buffer[1..] : throw new InvalidOperationException("only a JSON object carries a check");
            }
            // The object's second byte: a member after the check's needs a comma.
            if (_written + buffer.Length - rest.Length == 1 && !rest.IsEmpty && rest[0] != '}')
            {
                destination.Write(","u8);
            }
            destination.Write(rest);
            _written += buffer.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        internal byte[] Check() => _hash.GetHashAndReset();

        public override void Flush() => destination.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
