namespace BuildImages.Core.Templates;

/// <summary>
/// Digits after the decimal point per currency, from ISO 4217's list of minor units (the currencies that are not two):
/// a yen price has none, a Kuwaiti dinar three. .NET knows only each culture's own currency, so a price in yen written
/// in en-US would otherwise get cents.
/// </summary>
internal static class CurrencyMinorUnits
{
    private static readonly Dictionary<string, int> NotTwo = new(StringComparer.Ordinal)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0, ["PYG"] = 0,
        ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
        ["CLF"] = 4, ["UYW"] = 4,
    };

    internal static int Of(string isoCode) => NotTwo.GetValueOrDefault(isoCode, 2);
}
