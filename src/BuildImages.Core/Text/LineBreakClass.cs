namespace BuildImages.Core.Text;

/// <summary>The Unicode Line_Break classes (UAX #14, table 1), numbered as the generated tables number them.</summary>
internal enum LineBreakClass : byte
{
    AL, BA, BB, B2, BK, CB, CJ, CL, CM, CP, CR, EB, EM, EX, GL, H2, H3, HL, HY, ID, IN, IS,
    JL, JT, JV, LF, NL, NS, NU, OP, PO, PR, QU, RI, SA, SG, SP, SY, WJ, XX, ZW, ZWJ, AI,
}
