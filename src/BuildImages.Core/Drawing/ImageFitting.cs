using BuildImages.Core.Markup;

namespace BuildImages.Core.Drawing;

/// <summary>Where an image of a given size lands in a box for each fit (CSS object-fit/object-position).</summary>
internal static class ImageFitting
{
    internal static (double X, double Y, double W, double H) Place(ImageFit fit, double iw, double ih, double bw, double bh, double focusX, double focusY)
    {
        switch (fit)
        {
            case ImageFit.Fill:
                return (0, 0, bw, bh);
            case ImageFit.Contain:
            {
                var s = Math.Min(bw / iw, bh / ih);
                return ((bw - (iw * s)) / 2, (bh - (ih * s)) / 2, iw * s, ih * s);
            }
            default:
            {
                var s = Math.Max(bw / iw, bh / ih);
                var (w, h) = (iw * s, ih * s);
                return ((bw - w) * focusX, (bh - h) * focusY, w, h);
            }
        }
    }
}
