namespace BuildImages.Core.Text;

/// <summary>The Unicode Bidi_Class values (UAX #9, table 4), numbered as the generated tables number them.</summary>
internal enum BidiClass : byte
{
    L, R, AL, EN, ES, ET, AN, CS, NSM, BN, B, S, WS, ON, LRE, LRO, RLE, RLO, PDF, LRI, RLI, FSI, PDI,
}
