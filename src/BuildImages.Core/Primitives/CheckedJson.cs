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

    /// <summary>
    /// The object in <paramref name="file"/> without its check, read a block at a time (a million outputs' times are
    /// never held whole either way); null when the file does not start with a check. Whether the check matches the
    /// rest is known once the source has been read to its end (<see cref="CheckedSource.Matches"/>): a reader keeps
    /// nothing it read unless it does.
    /// </summary>
    internal static CheckedSource? OpenRead(Stream file)
    {
        const int hex = 64;
        Span<byte> head = stackalloc byte[Prefix.Length + hex + 2];
        if (file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length
            || !head.StartsWith(Prefix) || head[Prefix.Length + hex] != '"')
        {
            return null;
        }
        byte[] check;
        try
        {
            check = Convert.FromHexString(head.Slice(Prefix.Length, hex));
        }
        catch (FormatException)
        {
            return null;
        }
        // The object's own bytes: its opening brace is the prefix's; its first member follows the check's after a comma
        // (an empty object just closes, and whatever follows it was never part of what was checked).
        return head[^1] switch
        {
            (byte)'}' => new CheckedSource(file, "{}"u8.ToArray(), rest: false, check),
            (byte)',' => new CheckedSource(file, "{"u8.ToArray(), rest: true, check),
            _ => null,
        };
    }

    /// <summary>The bytes of a checked object without its check, hashed as they are read.</summary>
    internal sealed class CheckedSource : Stream
    {
        private readonly Stream _file;
        private readonly byte[] _head;
        private readonly bool _rest;
        private readonly byte[] _check;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private int _headRead;
        private bool _ended;

        internal CheckedSource(Stream file, byte[] head, bool rest, byte[] check)
        {
            (_file, _head, _rest, _check) = (file, head, rest, check);
        }

        /// <summary>Whether the bytes read match the check; false until the source has been read to its end.</summary>
        internal bool Matches => _ended && _hash.GetCurrentHash().AsSpan().SequenceEqual(_check);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            int read;
            if (_headRead < _head.Length)
            {
                read = Math.Min(buffer.Length, _head.Length - _headRead);
                _head.AsSpan(_headRead, read).CopyTo(buffer);
                _headRead += read;
            }
            else
            {
                read = _rest && !buffer.IsEmpty ? _file.Read(buffer) : 0;
            }
            _hash.AppendData(buffer[..read]);
            _ended |= read == 0 && !buffer.IsEmpty;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }
            base.Dispose(disposing);
        }
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
