using static BuildImages.Core.Text.LineBreakClass;

namespace BuildImages.Core.Text;

/// <summary>What may happen at a boundary between two characters.</summary>
internal enum LineBreakKind : byte
{
    /// <summary>The line must not break here.</summary>
    None,

    /// <summary>The line may break here.</summary>
    Allowed,

    /// <summary>The line must break here (after a hard line break, and at the end of the text).</summary>
    Mandatory,
}

/// <summary>
/// The Unicode Line Breaking Algorithm (UAX #14, revision 49, Unicode 15.0) with the numeric tailoring of its example 7
/// (the one Unicode's LineBreakTest.txt assumes): where each line may break. Characters of class SA (Thai, Lao, Khmer,
/// Myanmar) break by the rules around their runs; within a run, at the word boundaries of <see cref="DictionaryBreaker"/>
/// (ICU's dictionaries). Checked against LineBreakTest.txt (without the dictionary, as Unicode's tests assume).
/// </summary>
internal static class LineBreaker
{
    /// <summary>The boundary before each code point (index 0 is the start of the text, never a break) and after the last (index n, mandatory).</summary>
    /// <param name="text">The code points of a paragraph.</param>
    /// <param name="keepAll">
    /// CSS <c>word-break: keep-all</c>: Hangul syllables and jamo and CJK ideographs break only where words do (at spaces
    /// and punctuation), not between each other, which Korean set in words wants (<c>생성하여</c> stays whole).
    /// </param>
    /// <param name="dictionary">Break inside Thai, Lao, Khmer and Myanmar runs at dictionary word boundaries (off only for Unicode's tests).</param>
    internal static LineBreakKind[] Opportunities(ReadOnlySpan<int> text, bool keepAll = false, bool dictionary = true)
    {
        var n = text.Length;
        var breaks = new LineBreakKind[n + 1];
        if (n == 0)
        {
            return breaks;
        }
        breaks[n] = LineBreakKind.Mandatory;
        var codePoints = text.ToArray();
        // LB1: resolve the classes the rules do not name.
        var raw = new LineBreakClass[n];
        // Whether any SA character is here: only then is there a run for the dictionary to look at.
        var complex = false;
        for (var i = 0; i < n; i++)
        {
            var given = LineBreakData.ClassOf(text[i]);
            complex |= given == SA;
            raw[i] = given switch
            {
                AI or SG or XX => AL,
                SA => LineBreakData.IsCombiningMark(text[i]) ? CM : AL,
                CJ => NS,
                ID or H2 or H3 or JL or JV or JT when keepAll => AL,
                var c => c,
            };
        }
        // What each character counts as once combining marks join their base (LB9) or stand alone as AL (LB10),
        // and whether a mark joined the character before it.
        var eff = new LineBreakClass[n];
        var joined = new bool[n];
        eff[0] = raw[0] is CM or ZWJ ? AL : raw[0];
        for (var i = 1; i <= n - 1; i++)
        {
            var before = eff[i - 1];
            if (raw[i] is CM or ZWJ && raw[i - 1] is not (BK or CR or LF or NL or SP or ZW))
            {
                eff[i] = before;
                joined[i] = true;
            }
            else
            {
                eff[i] = raw[i] is CM or ZWJ ? AL : raw[i];
            }
        }
        // Where each mark's base is, whether a run of NU, SY and IS ending at a base holds a NU (LB25), whether an odd
        // number of regional indicators ends there (LB30a): made once, so no boundary walks back over a long run of
        // marks, digits or flags (hostile text stays linear).
        var baseOf = new int[n];
        var numberRun = new bool[n];
        var oddFlags = new bool[n];
        for (var k = 0; k < n; k++)
        {
            if (joined[k])
            {
                (baseOf[k], numberRun[k], oddFlags[k]) = (baseOf[k - 1], numberRun[k - 1], oddFlags[k - 1]);
                continue;
            }
            baseOf[k] = k;
            var p = k > 0 ? baseOf[k - 1] : -1;
            numberRun[k] = eff[k] == NU || (eff[k] is SY or IS && p >= 0 && eff[p] is NU or SY or IS && numberRun[p]);
            oddFlags[k] = eff[k] == RI && !(p >= 0 && eff[p] == RI && oddFlags[p]);
        }
        // Every class first: LB25 looks one character past the boundary.
        for (var i = 1; i <= n - 1; i++)
        {
            breaks[i] = At(i);
        }
        if (dictionary && complex)
        {
            BreakComplexRuns(text, breaks);
        }
        return breaks;

        LineBreakKind At(int i)
        {
            var a = raw[i - 1];
            var b = raw[i];
            // LB4–LB8a, on the characters as they are.
            if (a == BK || (a == CR && b != LF) || a is LF or NL)
            {
                return LineBreakKind.Mandatory;
            }
            if (a == CR && b == LF)
            {
                return LineBreakKind.None;
            }
            if (b is BK or CR or LF or NL or SP or ZW)
            {
                return LineBreakKind.None;
            }
            if (BeforeSpaces(i) is var s && s >= 0 && raw[s] == ZW)
            {
                return LineBreakKind.Allowed;
            }
            if (a == ZWJ)
            {
                return LineBreakKind.None;
            }
            // LB9: a combining mark stays with its base.
            if (joined[i])
            {
                return LineBreakKind.None;
            }
            var x = eff[i - 1];
            var y = eff[i];
            var beforeSpace = s >= 0 ? eff[s] : (LineBreakClass?)null;
            return Rules(i, x, y, beforeSpace) ? LineBreakKind.None : LineBreakKind.Allowed;
        }

        // LB11–LB31 for effective classes x (before) and y (after): true when the line must not break.
        bool Rules(int i, LineBreakClass x, LineBreakClass y, LineBreakClass? beforeSpace)
        {
            if (x == WJ || y == WJ || x == GL || (y == GL && x is not (SP or BA or HY)))
            {
                return true;
            }
            if (y is CL or CP or EX or IS or SY)
            {
                return true;
            }
            if (beforeSpace == OP || (y == OP && beforeSpace == QU) || (y == NS && beforeSpace is CL or CP) || (y == B2 && beforeSpace == B2))
            {
                return true;
            }
            if (x == SP)
            {
                return false;
            }
            if (x == QU || y == QU)
            {
                return true;
            }
            if (x == CB || y == CB)
            {
                return false;
            }
            if (y is BA or HY or NS || x == BB)
            {
                return true;
            }
            if (x is HY or BA && PreviousBase(i - 1) is var p && p >= 0 && eff[p] == HL)
            {
                return true;
            }
            if ((x == SY && y == HL) || y == IN)
            {
                return true;
            }
            if ((x is AL or HL && y == NU) || (x == NU && y is AL or HL))
            {
                return true;
            }
            if ((x == PR && y is ID or EB or EM) || (x is ID or EB or EM && y == PO))
            {
                return true;
            }
            if ((x is PR or PO && y is AL or HL) || (x is AL or HL && y is PR or PO))
            {
                return true;
            }
            if (Numeric(i, x, y))
            {
                return true;
            }
            if ((x == JL && y is JL or JV or H2 or H3) || (x is JV or H2 && y is JV or JT) || (x is JT or H3 && y == JT))
            {
                return true;
            }
            if ((x is JL or JV or JT or H2 or H3 && y == PO) || (x == PR && y is JL or JV or JT or H2 or H3))
            {
                return true;
            }
            if (x is AL or HL && y is AL or HL)
            {
                return true;
            }
            if (x == IS && y is AL or HL)
            {
                return true;
            }
            if ((x is AL or HL or NU && y == OP && !LineBreakData.IsEastAsian(codePoints[i]))
                || (x == CP && !LineBreakData.IsEastAsian(codePoints[Base(i - 1)]) && y is AL or HL or NU))
            {
                return true;
            }
            if (x == RI && y == RI)
            {
                // LB30a: flags pair up from the start of a run of regional indicators.
                return oddFlags[Base(i - 1)];
            }
            return y == EM && (x == EB || LineBreakData.IsUnassignedPictographic(codePoints[Base(i - 1)]));
        }

        // LB25 as example 7 tailors it: (PR|PO)? (OP|HY)? NU (NU|SY|IS)* (CL|CP)? (PR|PO)? stays together.
        bool Numeric(int i, LineBreakClass x, LineBreakClass y)
        {
            if (x is PR or PO && (y == NU || (y is OP or HY && NextBase(i) is var next && next < n && eff[next] == NU)))
            {
                return true;
            }
            if (x is OP or HY && y == NU)
            {
                return true;
            }
            // NU (NU|SY|IS)* (CL|CP)? before the boundary: a run of NU, SY and IS holding a NU, perhaps closed.
            var k = Base(i - 1);
            var closed = eff[k] is CL or CP;
            if (closed)
            {
                k = PreviousBase(k);
            }
            var inNumber = k >= 0 && eff[k] is NU or SY or IS && numberRun[k];
            return inNumber && ((!closed && y is NU or SY or IS or CL or CP) || y is PO or PR);
        }

        // The character a joined mark belongs to, and the one before it.
        int Base(int k) => baseOf[k];

        int PreviousBase(int k) => baseOf[k] > 0 ? baseOf[baseOf[k] - 1] : -1;

        int NextBase(int k)
        {
            k++;
            while (k < n && joined[k])
            {
                k++;
            }
            return k;
        }

        // The last character before boundary i that is not a space, if spaces (or nothing) separate it from the boundary.
        int BeforeSpaces(int i)
        {
            var k = i - 1;
            while (k >= 0 && raw[k] == SP)
            {
                k--;
            }
            return k;
        }
    }

    /// <summary>
    /// Inside each run of two or more SA characters the rules allow no break (LB28: AL × AL); the dictionary's word
    /// boundaries become opportunities there. The run's edges stay as the rules left them.
    /// </summary>
    private static void BreakComplexRuns(ReadOnlySpan<int> text, LineBreakKind[] breaks)
    {
        for (var start = 0; start < text.Length;)
        {
            if (LineBreakData.ClassOf(text[start]) != SA)
            {
                start++;
                continue;
            }
            var end = start + 1;
            while (end < text.Length && LineBreakData.ClassOf(text[end]) == SA)
            {
                end++;
            }
            if (end - start >= 2)
            {
                foreach (var b in DictionaryBreaker.Boundaries(text[start..end]))
                {
                    if (breaks[start + b] == LineBreakKind.None)
                    {
                        breaks[start + b] = LineBreakKind.Allowed;
                    }
                }
            }
            start = end;
        }
    }
}
