namespace BuildImages.Benchmarks;

/// <summary>
/// Mean structural similarity of two RGBA images of one size: SSIM over 8×8 windows (stride 4) on R, G and B
/// separately, averaged (the usual per-channel form; 1 = identical). Good enough to rank encoder settings.
/// </summary>
internal static class Ssim
{
    private const double C1 = 0.01 * 255 * (0.01 * 255);
    private const double C2 = 0.03 * 255 * (0.03 * 255);

    internal static double Rgb(byte[] a, byte[] b, int width, int height)
    {
        double total = 0;
        long windows = 0;
        for (var y = 0; y + 8 <= height; y += 4)
        {
            for (var x = 0; x + 8 <= width; x += 4)
            {
                for (var c = 0; c < 3; c++)
                {
                    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
                    for (var j = 0; j < 8; j++)
                    {
                        var row = (((y + j) * width) + x) * 4 + c;
                        for (var i = 0; i < 8; i++)
                        {
                            double va = a[row + (i * 4)], vb = b[row + (i * 4)];
                            sa += va;
                            sb += vb;
                            saa += va * va;
                            sbb += vb * vb;
                            sab += va * vb;
                        }
                    }
                    const double n = 64;
                    var ma = sa / n;
                    var mb = sb / n;
                    var va2 = (saa / n) - (ma * ma);
                    var vb2 = (sbb / n) - (mb * mb);
                    var cov = (sab / n) - (ma * mb);
                    total += ((2 * ma * mb) + C1) * ((2 * cov) + C2) / (((ma * ma) + (mb * mb) + C1) * (va2 + vb2 + C2));
                    windows++;
                }
            }
        }
        return total / windows;
    }
}
