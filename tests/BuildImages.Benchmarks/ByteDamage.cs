using System.Text;

namespace BuildImages.Benchmarks;

/// <summary>How the text-input mutation runs damage a file: cut short, a few bytes changed, or tokens inserted that the parsers care about.</summary>
internal static class ByteDamage
{
    /// <param name="bytes">The file; changed in place when bytes are changed.</param>
    /// <param name="random">The run's seeded generator (the same seed damages the same way).</param>
    /// <param name="tokens">What may be inserted.</param>
    /// <param name="maxChanged">Up to this many bytes changed, less one.</param>
    /// <param name="lowest">The lowest value a changed byte takes.</param>
    /// <param name="highest">The highest value a changed byte takes, plus one.</param>
    internal static byte[] Damage(byte[] bytes, Random random, IReadOnlyList<string> tokens, int maxChanged, int lowest, int highest)
    {
        switch (random.Next(4))
        {
            case 0:
                return bytes[..random.Next(0, Math.Max(1, bytes.Length))];
            case 1:
                for (var f = random.Next(1, maxChanged); f > 0 && bytes.Length > 0; f--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(lowest, highest);
                }
                return bytes;
            default:
                var text = new List<byte>(bytes);
                for (var f = random.Next(1, 4); f > 0; f--)
                {
                    var token = Encoding.UTF8.GetBytes(tokens[random.Next(tokens.Count)]);
                    text.InsertRange(random.Next(text.Count + 1), token);
                }
                return [.. text];
        }
    }
}
