using BuildImages.Core.Encoders;
using BuildImages.Core.Planning;
using BuildImages.Core.Rendering;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Build;

/// <summary>Encodes a card's variant, fitting its byte budget when it has one (the search is <see cref="BudgetSearch"/>, shared with photos).</summary>
internal static class BudgetedEncoder
{
    public static BudgetSearch.Result Encode(RenderedCard card, PlannedVariant variant) =>
        BudgetSearch.Fit(q => VariantEncoder.Encode(card, variant.Encode with { Quality = q }), variant.Encode.Quality, variant.MinQuality, variant.MaxBytes, variant.Encode.Format == ImageFormat.Png);
}
