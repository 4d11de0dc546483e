using System.Security.Cryptography;
using System.Text;

namespace BuildImages.Core.Primitives;

/// <summary>
/// <see cref="ContentHash.OfParts"/> made a part at a time: a glob of a million files is a million parts, which as a
/// list and then one joined text (and its UTF-8) were held at once, each part about three times over.
/// </summary>
internal sealed class PartsHash : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer = new byte[256];
    private bool _any;

    public void Add(string part)
    {
        if (_any)
        {
            // The separator OfParts joins with (U+001F is one byte in UTF-8).
            _hash.AppendData([0x1f]);
        }
        _any = true;
        var length = Encoding.UTF8.GetMaxByteCount(part.Length);
        if (length > _buffer.Length)
        {
            _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
        }
        _hash.AppendData(_buffer, 0, Encoding.UTF8.GetBytes(part, _buffer));
    }

    /// <summary>The hash of every part added, as <see cref="ContentHash.OfParts"/> gives it for the same parts.</summary>
    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();
}
