namespace BuildImages.Core.Text;

/// <summary>
/// The Unicode Bidirectional Algorithm (UAX #9, revision 46, Unicode 15) for one paragraph: explicit embeddings,
/// overrides and isolates (X1–X10), weak and neutral types (W1–W7, N0 bracket pairs, N1–N2), implicit levels (I1–I2),
/// and per line the whitespace reset (L1) and the visual order (L2). Mirroring (L4) is left to the shaper, which
/// mirrors glyphs in right-to-left runs. Checked against Unicode's BidiTest.txt and BidiCharacterTest.txt.
/// </summary>
internal sealed class BidiParagraph
{
    /// <summary>The level of a character rule X9 removes (embedding and override controls, boundary neutrals): it has none.</summary>
    internal const sbyte Removed = -1;

    private const int MaxDepth = 125;

    private readonly BidiClass[] _initial;
    private readonly BidiClass[] _types;
    private readonly int[] _brackets;
    private readonly sbyte[] _levels;
    private readonly int[] _matchingPdi;
    private sbyte[] _explicit = [];

    /// <summary>Resolves the levels of a paragraph given as Bidi_Class values (and, for N0, <see cref="BidiData.BracketOf"/> per position; none: no brackets).</summary>
    /// <param name="classes">Each character's Bidi_Class.</param>
    /// <param name="brackets">Each character's bracket (positive opening, negative closing, 0 none), or empty.</param>
    /// <param name="paragraphLevel">0 (left to right), 1 (right to left), or null for the first strong character's (P2, P3).</param>
    internal BidiParagraph(ReadOnlySpan<BidiClass> classes, ReadOnlySpan<int> brackets, int? paragraphLevel)
    {
        var n = classes.Length;
        _initial = classes.ToArray();
        _types = classes.ToArray();
        _brackets = brackets.Length == n ? brackets.ToArray() : new int[n];
        _levels = new sbyte[n];
        _matchingPdi = MatchIsolates();
        ParagraphLevel = paragraphLevel ?? FirstStrongLevel(0, n, 0);
        ExplicitLevels();
        // Sequences are resolved one after another: each one's sos and eos come from the explicit levels, not from levels resolved before it.
        _explicit = (sbyte[])_levels.Clone();
        foreach (var sequence in IsolatingRunSequences())
        {
            ResolveSequence(sequence);
        }
    }

    /// <summary>The paragraph embedding level: 0 left to right, 1 right to left.</summary>
    internal int ParagraphLevel { get; }

    /// <summary>A paragraph of text: classes and brackets from <see cref="BidiData"/>, one entry per code point.</summary>
    internal static BidiParagraph Of(ReadOnlySpan<int> codePoints, int? paragraphLevel)
    {
        var classes = new BidiClass[codePoints.Length];
        var brackets = new int[codePoints.Length];
        for (var i = 0; i < codePoints.Length; i++)
        {
            classes[i] = BidiData.ClassOf(codePoints[i]);
            brackets[i] = BidiData.BracketOf(codePoints[i]);
        }
        return new BidiParagraph(classes, brackets, paragraphLevel);
    }

    /// <summary>
    /// The levels of the characters of one line [<paramref name="start"/>, <paramref name="end"/>) after L1 (separators
    /// and trailing whitespace and isolate controls at the paragraph level); <see cref="Removed"/> for removed characters.
    /// </summary>
    internal sbyte[] LineLevels(int start, int end)
    {
        var line = _levels[start..end];
        var trailing = true;
        for (var i = end - 1; i >= start; i--)
        {
            var t = _initial[i];
            if (IsRemoved(t))
            {
                line[i - start] = Removed;
                continue;
            }
            if (t is BidiClass.S or BidiClass.B)
            {
                line[i - start] = (sbyte)ParagraphLevel;
                trailing = true;
            }
            else if (t is BidiClass.WS or BidiClass.LRI or BidiClass.RLI or BidiClass.FSI or BidiClass.PDI)
            {
                if (trailing)
                {
                    line[i - start] = (sbyte)ParagraphLevel;
                }
            }
            else
            {
                trailing = false;
            }
        }
        return line;
    }

    /// <summary>L2: the positions of a line's characters (removed ones left out) from left to right, given its levels.</summary>
    internal static int[] VisualOrder(ReadOnlySpan<sbyte> levels)
    {
        var order = new List<int>(levels.Length);
        var kept = new List<sbyte>(levels.Length);
        for (var i = 0; i < levels.Length; i++)
        {
            if (levels[i] != Removed)
            {
                order.Add(i);
                kept.Add(levels[i]);
            }
        }
        if (kept.Count == 0)
        {
            return [];
        }
        var highest = kept.Max();
        var lowest = kept.Min();
        // Intermediate levels count even when no character has them: from the highest down to the lowest odd one.
        var lowestOdd = lowest % 2 == 1 ? lowest : lowest + 1;
        for (var level = highest; level >= lowestOdd; level--)
        {
            for (var i = 0; i < kept.Count; i++)
            {
                if (kept[i] < level)
                {
                    continue;
                }
                var j = i;
                while (j + 1 < kept.Count && kept[j + 1] >= level)
                {
                    j++;
                }
                order.Reverse(i, j - i + 1);
                kept.Reverse(i, j - i + 1);
                i = j;
            }
        }
        return [.. order];
    }

    private static bool IsRemoved(BidiClass t) => t is BidiClass.RLE or BidiClass.LRE or BidiClass.RLO or BidiClass.LRO or BidiClass.PDF or BidiClass.BN;

    private static bool IsIsolateInitiator(BidiClass t) => t is BidiClass.LRI or BidiClass.RLI or BidiClass.FSI;

    /// <summary>BD9: each isolate initiator's matching PDI (the length when it has none); -1 elsewhere.</summary>
    private int[] MatchIsolates()
    {
        var n = _initial.Length;
        var match = new int[n];
        Array.Fill(match, -1);
        var open = new Stack<int>();
        for (var i = 0; i < n; i++)
        {
            if (IsIsolateInitiator(_initial[i]))
            {
                match[i] = n;
                open.Push(i);
            }
            else if (_initial[i] == BidiClass.PDI && open.Count > 0)
            {
                match[open.Pop()] = i;
            }
            else if (_initial[i] == BidiClass.B)
            {
                open.Clear();
            }
        }
        return match;
    }

    /// <summary>P2, P3: 1 if the first strong character in [start, end), skipping isolates, is R or AL; 0 if L; <paramref name="none"/> without one.</summary>
    private int FirstStrongLevel(int start, int end, int none)
    {
        for (var i = start; i < end; i++)
        {
            switch (_initial[i])
            {
                case BidiClass.L:
                    return 0;
                case BidiClass.R or BidiClass.AL:
                    return 1;
                case BidiClass.LRI or BidiClass.RLI or BidiClass.FSI:
                    i = _matchingPdi[i];
                    break;
                case BidiClass.B:
                    return none;
            }
        }
        return none;
    }

    /// <summary>X1–X9: explicit levels and overrides; removed characters take the level they sit at (and count as BN).</summary>
    private void ExplicitLevels()
    {
        var stack = new Stack<(int Level, BidiClass Override, bool Isolate)>();
        stack.Push((ParagraphLevel, BidiClass.ON, false));
        int overflowIsolates = 0, overflowEmbeddings = 0, validIsolates = 0;
        for (var i = 0; i < _initial.Length; i++)
        {
            var t = _initial[i];
            var top = stack.Peek();
            switch (t)
            {
                case BidiClass.RLE or BidiClass.LRE or BidiClass.RLO or BidiClass.LRO:
                {
                    var rtl = t is BidiClass.RLE or BidiClass.RLO;
                    var level = NextLevel(top.Level, rtl);
                    if (level <= MaxDepth && overflowIsolates == 0 && overflowEmbeddings == 0)
                    {
                        stack.Push((level, t switch { BidiClass.RLO => BidiClass.R, BidiClass.LRO => BidiClass.L, _ => BidiClass.ON }, false));
                    }
                    else if (overflowIsolates == 0)
                    {
                        overflowEmbeddings++;
                    }
                    _levels[i] = (sbyte)top.Level;
                    _types[i] = BidiClass.BN;
                    break;
                }
                case BidiClass.RLI or BidiClass.LRI or BidiClass.FSI:
                {
                    _levels[i] = (sbyte)top.Level;
                    if (top.Override != BidiClass.ON)
                    {
                        _types[i] = top.Override;
                    }
                    var rtl = t == BidiClass.RLI || (t == BidiClass.FSI && FirstStrongLevel(i + 1, _matchingPdi[i], 0) == 1);
                    var level = NextLevel(top.Level, rtl);
                    if (level <= MaxDepth && overflowIsolates == 0 && overflowEmbeddings == 0)
                    {
                        validIsolates++;
                        stack.Push((level, BidiClass.ON, true));
                    }
                    else
                    {
                        overflowIsolates++;
                    }
                    break;
                }
                case BidiClass.PDI:
                {
                    if (overflowIsolates > 0)
                    {
                        overflowIsolates--;
                    }
                    else if (validIsolates > 0)
                    {
                        overflowEmbeddings = 0;
                        while (!stack.Peek().Isolate)
                        {
                            stack.Pop();
                        }
                        stack.Pop();
                        validIsolates--;
                    }
                    top = stack.Peek();
                    _levels[i] = (sbyte)top.Level;
                    if (top.Override != BidiClass.ON)
                    {
                        _types[i] = top.Override;
                    }
                    break;
                }
                case BidiClass.PDF:
                {
                    // X7: inside an overflowed isolate a PDF does nothing.
                    if (overflowIsolates == 0 && overflowEmbeddings > 0)
                    {
                        overflowEmbeddings--;
                    }
                    else if (overflowIsolates == 0 && !top.Isolate && stack.Count >= 2)
                    {
                        stack.Pop();
                    }
                    _levels[i] = (sbyte)top.Level;
                    _types[i] = BidiClass.BN;
                    break;
                }
                case BidiClass.B:
                    // X8: a paragraph separator ends every embedding, override and isolate (splitting text into
                    // paragraphs, P1, is the caller's: a separator inside only resets, the paragraph level stays).
                    _levels[i] = (sbyte)ParagraphLevel;
                    stack.Clear();
                    stack.Push((ParagraphLevel, BidiClass.ON, false));
                    (overflowIsolates, overflowEmbeddings, validIsolates) = (0, 0, 0);
                    break;
                case BidiClass.BN:
                    _levels[i] = (sbyte)top.Level;
                    break;
                default:
                    _levels[i] = (sbyte)top.Level;
                    if (top.Override != BidiClass.ON)
                    {
                        _types[i] = top.Override;
                    }
                    break;
            }
        }
    }

    private static int NextLevel(int level, bool rtl) => rtl ? (level + 1) | 1 : (level + 2) & ~1;

    /// <summary>X10: the level runs (removed characters left out) chained through matching isolate initiators and PDIs.</summary>
    private List<int[]> IsolatingRunSequences()
    {
        var runs = new List<List<int>>();
        var runOf = new int[_initial.Length];
        var previousLevel = -1;
        for (var i = 0; i < _initial.Length; i++)
        {
            if (IsRemoved(_initial[i]))
            {
                runOf[i] = -1;
                continue;
            }
            if (_levels[i] != previousLevel)
            {
                runs.Add([]);
                previousLevel = _levels[i];
            }
            runs[^1].Add(i);
            runOf[i] = runs.Count - 1;
        }
        var matchedPdi = new HashSet<int>(_matchingPdi.Where(m => m >= 0 && m < _initial.Length));
        var sequences = new List<int[]>();
        foreach (var run in runs)
        {
            if (matchedPdi.Contains(run[0]))
            {
                continue;
            }
            var sequence = new List<int>(run);
            var last = run[^1];
            while (IsIsolateInitiator(_initial[last]) && _matchingPdi[last] < _initial.Length)
            {
                var next = runs[runOf[_matchingPdi[last]]];
                sequence.AddRange(next);
                last = next[^1];
            }
            sequences.Add([.. sequence]);
        }
        return sequences;
    }

    /// <summary>W1–W7, N0–N2 and I1–I2 over one isolating run sequence.</summary>
    private void ResolveSequence(int[] at)
    {
        var level = _explicit[at[0]];
        var before = PreviousLevel(at[0]);
        var last = at[^1];
        var after = IsIsolateInitiator(_initial[last]) ? ParagraphLevel : NextLevelAfter(last);
        var sos = Math.Max(level, before) % 2 == 1 ? BidiClass.R : BidiClass.L;
        var eos = Math.Max(level, after) % 2 == 1 ? BidiClass.R : BidiClass.L;
        var n = at.Length;
        var t = new BidiClass[n];
        for (var k = 0; k < n; k++)
        {
            t[k] = _types[at[k]];
        }

        // W1: a non-spacing mark takes the type before it (ON after an isolate initiator or PDI; sos at the start).
        for (var k = 0; k < n; k++)
        {
            if (t[k] == BidiClass.NSM)
            {
                t[k] = k == 0 ? sos : t[k - 1] is BidiClass.LRI or BidiClass.RLI or BidiClass.FSI or BidiClass.PDI ? BidiClass.ON : t[k - 1];
            }
        }
        // W2: a European number after Arabic letters is an Arabic number. W3: AL is R.
        var strong = sos;
        for (var k = 0; k < n; k++)
        {
            if (t[k] is BidiClass.L or BidiClass.R or BidiClass.AL)
            {
                strong = t[k];
            }
            else if (t[k] == BidiClass.EN && strong == BidiClass.AL)
            {
                t[k] = BidiClass.AN;
            }
        }
        for (var k = 0; k < n; k++)
        {
            if (t[k] == BidiClass.AL)
            {
                t[k] = BidiClass.R;
            }
        }
        // W4: one separator between two numbers of a kind joins them.
        for (var k = 1; k < n - 1; k++)
        {
            if (t[k] == BidiClass.ES && t[k - 1] == BidiClass.EN && t[k + 1] == BidiClass.EN)
            {
                t[k] = BidiClass.EN;
            }
            else if (t[k] == BidiClass.CS && t[k - 1] == t[k + 1] && t[k - 1] is BidiClass.EN or BidiClass.AN)
            {
                t[k] = t[k - 1];
            }
        }
        // W5: terminators next to a European number are part of it.
        for (var k = 0; k < n; k++)
        {
            if (t[k] != BidiClass.ET)
            {
                continue;
            }
            var end = k;
            while (end < n && t[end] == BidiClass.ET)
            {
                end++;
            }
            if ((k > 0 && t[k - 1] == BidiClass.EN) || (end < n && t[end] == BidiClass.EN))
            {
                Array.Fill(t, BidiClass.EN, k, end - k);
            }
            k = end - 1;
        }
        // W6: other separators and terminators are neutral.
        for (var k = 0; k < n; k++)
        {
            if (t[k] is BidiClass.ES or BidiClass.ET or BidiClass.CS)
            {
                t[k] = BidiClass.ON;
            }
        }
        // W7: a European number in left-to-right context is L.
        strong = sos;
        for (var k = 0; k < n; k++)
        {
            if (t[k] is BidiClass.L or BidiClass.R)
            {
                strong = t[k];
            }
            else if (t[k] == BidiClass.EN && strong == BidiClass.L)
            {
                t[k] = BidiClass.L;
            }
        }

        var embedding = level % 2 == 1 ? BidiClass.R : BidiClass.L;
        ResolveBrackets(at, t, sos, embedding);

        // N1, N2: runs of neutrals take the direction around them when both sides agree, else the embedding direction.
        for (var k = 0; k < n; k++)
        {
            if (!IsNeutral(t[k]))
            {
                continue;
            }
            var end = k;
            while (end < n && IsNeutral(t[end]))
            {
                end++;
            }
            var leading = k == 0 ? sos : StrongOf(t[k - 1]);
            var trailing = end == n ? eos : StrongOf(t[end]);
            Array.Fill(t, leading == trailing ? leading : embedding, k, end - k);
            k = end - 1;
        }

        // I1, I2.
        for (var k = 0; k < n; k++)
        {
            var l = _levels[at[k]];
            _levels[at[k]] = (sbyte)(l % 2 == 0
                ? l + (t[k] == BidiClass.R ? 1 : t[k] is BidiClass.AN or BidiClass.EN ? 2 : 0)
                : l + (t[k] is BidiClass.L or BidiClass.EN or BidiClass.AN ? 1 : 0));
        }
    }

    /// <summary>N0: paired brackets (BD16) take the embedding direction, or the other one when context says so.</summary>
    private void ResolveBrackets(int[] at, BidiClass[] t, BidiClass sos, BidiClass embedding)
    {
        var pairs = new List<(int Open, int Close)>();
        var openers = new List<(int Bracket, int Position)>();
        for (var k = 0; k < at.Length; k++)
        {
            var bracket = _brackets[at[k]];
            if (bracket == 0 || t[k] != BidiClass.ON)
            {
                continue;
            }
            if (bracket > 0)
            {
                if (openers.Count == 63)
                {
                    break;
                }
                openers.Add((bracket, k));
            }
            else
            {
                for (var s = openers.Count - 1; s >= 0; s--)
                {
                    if (openers[s].Bracket == -bracket)
                    {
                        pairs.Add((openers[s].Position, k));
                        openers.RemoveRange(s, openers.Count - s);
                        break;
                    }
                }
            }
        }
        pairs.Sort((a, b) => a.Open.CompareTo(b.Open));
        var opposite = embedding == BidiClass.L ? BidiClass.R : BidiClass.L;
        foreach (var (open, close) in pairs)
        {
            var foundEmbedding = false;
            var foundOpposite = false;
            for (var k = open + 1; k < close; k++)
            {
                var s = StrongOf(t[k]);
                foundEmbedding |= s == embedding;
                foundOpposite |= s == opposite;
            }
            BidiClass? direction = null;
            if (foundEmbedding)
            {
                direction = embedding;
            }
            else if (foundOpposite)
            {
                var context = sos;
                for (var k = open - 1; k >= 0; k--)
                {
                    if (StrongOf(t[k]) is { } s and not BidiClass.ON)
                    {
                        context = s;
                        break;
                    }
                }
                direction = context == opposite ? opposite : embedding;
            }
            if (direction is { } d)
            {
                SetBracket(at, t, open, d);
                SetBracket(at, t, close, d);
            }
        }
    }

    /// <summary>Sets a bracket's type, and that of the non-spacing marks right after it.</summary>
    private void SetBracket(int[] at, BidiClass[] t, int k, BidiClass direction)
    {
        t[k] = direction;
        for (var m = k + 1; m < at.Length && _initial[at[m]] == BidiClass.NSM; m++)
        {
            t[m] = direction;
        }
    }

    /// <summary>The strong direction a resolved type counts as in N0–N2 (numbers count as R); ON when it has none.</summary>
    private static BidiClass StrongOf(BidiClass t) => t switch
    {
        BidiClass.L => BidiClass.L,
        BidiClass.R or BidiClass.AL or BidiClass.EN or BidiClass.AN => BidiClass.R,
        _ => BidiClass.ON,
    };

    private static bool IsNeutral(BidiClass t) =>
        t is BidiClass.B or BidiClass.S or BidiClass.WS or BidiClass.ON or BidiClass.LRI or BidiClass.RLI or BidiClass.FSI or BidiClass.PDI;

    private int PreviousLevel(int i)
    {
        for (var j = i - 1; j >= 0; j--)
        {
            if (!IsRemoved(_initial[j]))
            {
                return _explicit[j];
            }
        }
        return ParagraphLevel;
    }

    private int NextLevelAfter(int i)
    {
        for (var j = i + 1; j < _initial.Length; j++)
        {
            if (!IsRemoved(_initial[j]))
            {
                return _explicit[j];
            }
        }
        return ParagraphLevel;
    }
}
