namespace BuildImages.Core.Encoders;

/// <summary>
/// The libvips save options for one variant: the quality asked for and what the profile picks. Each choice is a
/// row of the measured table in the README (time against bytes against SSIM on the built-in templates); the
/// comments give the row's reason.
/// </summary>
internal static class EncoderSettings
{
    internal static IReadOnlyList<(string Name, object Value)> For(EncodeOptions options) => options.Format switch
    {
        ImageFormat.WebP =>
        [
            ("Q", options.Quality),
            ("effort", options.Effort ?? WebPEffort(options.Profile)),
            ("strip", true),
        ],
        ImageFormat.Jpeg =>
        [
            ("Q", options.Quality),
            // Optimised Huffman tables: +1.7 ms a frame for 7% fewer bytes.
            ("optimize_coding", options.Profile != EncoderProfile.Fast),
            // Progressive: 6% fewer bytes again, at 1.5x the time.
            ("interlace", options.Profile == EncoderProfile.Small),
            // Trellis quantisation (the bundled libvips encodes with mozjpeg): 14% fewer bytes at 4x the time.
            ("trellis_quant", options.Profile == EncoderProfile.Small),
            ("strip", true),
        ],
        ImageFormat.Png =>
        [
            ("compression", options.Profile == EncoderProfile.Fast ? 2 : 6),
            ("strip", true),
        ],
        _ =>
        [
            ("Q", options.Quality),
            ("compression", "av1"),
            ("effort", options.Effort ?? AvifEffort(options.Profile)),
            ("strip", true),
        ],
    };

    /// <summary>The settings as they go into the variant's key, readable ("q80 effort 2", "q82 optimize_coding"); metadata stripping is always on.</summary>
    internal static string Describe(EncodeOptions options) =>
        string.Join(' ', For(options).Where(s => s.Name != "strip" && s.Value is not false).Select(s => s switch
        {
            ("Q", var q) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"q{q}"),
            (var name, true) => name,
            var (name, value) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} {value}"),
        }));

    // WebP: effort 3 costs what 4 does for the same bytes; 2 is the knee (2.2x faster than 4, 2.9% more bytes,
    // SSIM 0.0006 lower); 0 is 3x faster for 26% more; 6 saves 1.6% at 1.6x the time of 4. smart_subsample made
    // files larger here, so no profile uses it.
    private static int WebPEffort(EncoderProfile profile) => profile switch
    {
        EncoderProfile.Fast => 0,
        EncoderProfile.Small => 6,
        _ => 2,
    };

    // AVIF (libaom): effort 0 doubles the bytes of 1; 2 takes 2.8x the time of 1 for 5% fewer; libvips' default 4
    // takes 8x. 1 is the default and the fast choice.
    private static int AvifEffort(EncoderProfile profile) => profile switch
    {
        EncoderProfile.Small => 4,
        _ => 1,
    };
}
