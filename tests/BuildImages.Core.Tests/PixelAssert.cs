using BuildImages.Core.Rendering;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Tests;

internal static class PixelAssert
{
    /// <summary>Pixels that differ from the background by more than a small threshold, within a rectangle.</summary>
    internal static int Ink(RenderedCard card, int x0, int y0, int x1, int y1, (byte R, byte G, byte B) background)
    {
        var count = 0;
        for (var y = Math.Max(0, y0); y < Math.Min(card.Height, y1); y++)
        {
            for (var x = Math.Max(0, x0); x < Math.Min(card.Width, x1); x++)
            {
                var p = card.PixelAt(x, y);
                if (Math.Abs(p.R - background.R) + Math.Abs(p.G - background.G) + Math.Abs(p.B - background.B) > 24)
                {
                    count++;
                }
            }
        }
        return count;
    }

    /// <summary>The bounding box of ink (x0, y0, x1, y1), or null when there is none.</summary>
    internal static (int X0, int Y0, int X1, int Y1)? InkBounds(RenderedCard card, (byte R, byte G, byte B) background)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (var y = 0; y < card.Height; y++)
        {
            for (var x = 0; x < card.Width; x++)
            {
                var p = card.PixelAt(x, y);
                if (Math.Abs(p.R - background.R) + Math.Abs(p.G - background.G) + Math.Abs(p.B - background.B) > 24)
                {
                    x0 = Math.Min(x0, x);
                    y0 = Math.Min(y0, y);
                    x1 = Math.Max(x1, x + 1);
                    y1 = Math.Max(y1, y + 1);
                }
            }
        }
        return x1 < 0 ? null : (x0, y0, x1, y1);
    }
}
