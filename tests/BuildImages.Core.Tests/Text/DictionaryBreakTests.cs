using System.Globalization;
using BuildImages.Core.Markup;
using BuildImages.Core.Text;

namespace BuildImages.Core.Tests.Text;

/// <summary>
/// Thai, Lao, Khmer and Myanmar write no spaces between words: lines break inside their runs at the word boundaries
/// of ICU's dictionaries (<see cref="DictionaryBreaker"/>), never inside a grapheme cluster, and a line of Thai set in
/// a narrow box ends at a word, not wherever the width ran out.
/// </summary>
public sealed class DictionaryBreakTests : IDisposable
{
    private static readonly FontSet Fonts = FontSet.Scan([new FontFolder(Path.Combine(TestCards.RepoRoot, "tests", "Fonts", "pinned"), FontOrigin.Project)]);
    private readonly ShapingFaces _shaping = new();

    public void Dispose() => _shaping.Dispose();

    private static int[] CodePoints(string s) => [.. s.EnumerateRunes().Select(r => r.Value)];

    /// <summary>The text cut at every break opportunity (the pieces a line may end after).</summary>
    private static string[] Pieces(string text)
    {
        var cps = CodePoints(text);
        var breaks = LineBreaker.Opportunities(cps);
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i <= cps.Length; i++)
        {
            if (breaks[i] != LineBreakKind.None)
            {
                pieces.Add(string.Concat(cps[start..i].Select(char.ConvertFromUtf32)));
                start = i;
            }
        }
        return [.. pieces];
    }

    [Theory]
    [InlineData("ภาษาไทยเป็นภาษาที่มีระดับเสียงของคำแน่นอน", "ภาษา|ไทย|เป็น|ภาษา|ที่|มี|ระดับ|เสียง|ของ|คำ|แน่นอน")]
    [InlineData("ພາສາລາວເປັນພາສາທີ່ເວົ້າໃນປະເທດລາວ", "ພາສາ|ລາວ|ເປັນ|ພາສາ|ທີ່|ເວົ້າ|ໃນ|ປະເທດ|ລາວ")]
    [InlineData("ភាសាខ្មែរគឺជាភាសាកំណើតរបស់ជនជាតិខ្មែរ", "ភាសាខ្មែរ|គឺជា|ភាសា|កំណើត|របស់|ជនជាតិ|ខ្មែរ")]
    // MYANMAR SYMBOL GENITIVE (၏) is class AL, not SA: it ends the run, and AL × AL glues it to both neighbours
    // (ICU alone, which treats it as part of the Myanmar run, would break around it).
    [InlineData("မြန်မာဘာသာစကားသည်မြန်မာနိုင်ငံ၏ရုံးသုံးဘာသာစကားဖြစ်သည်", "မြန်မာဘာသာ|စကား|သည်|မြန်မာနိုင်ငံ၏ရုံးသုံးဘာသာ|စကား|ဖြစ်သည်")]
    public void RunsWithoutSpacesBreakAtDictionaryWords(string text, string words)
    {
        Assert.Equal(words.Split('|'), Pieces(text));
    }

    [Theory]
    [InlineData("ภาษาไทยเป็นภาษาที่มีระดับเสียงของคำแน่นอน")]
    [InlineData("ខ្ញុំនៅផ្ទះ")]
    [InlineData("မြန်မာနိုင်ငံ၏ရုံးသုံးဘာသာစကား")]
    public void NoBreakFallsInsideAGraphemeCluster(string text)
    {
        var cps = CodePoints(text);
        var breaks = LineBreaker.Opportunities(cps);
        // The code point index where each grapheme cluster starts.
        var clusterStarts = new HashSet<int>();
        var cp = 0;
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            clusterStarts.Add(cp);
            cp += ((string)e.Current).EnumerateRunes().Count();
        }
        for (var i = 1; i < cps.Length; i++)
        {
            Assert.True(breaks[i] == LineBreakKind.None || clusterStarts.Contains(i), $"a break before U+{cps[i]:X4} splits a cluster");
        }
        // Khmer NO with its vowel sign AU (នៅ) is one cluster and one word's part: never parted.
        Assert.DoesNotContain("ន|ៅ", string.Join('|', Pieces(text)), StringComparison.Ordinal);
    }

    [Fact]
    public void ARunOutsideTheBasicPlaneKeepsTheRulesAtItsEdges()
    {
        // Tai Ahom (U+11700..) is class SA too, in surrogate pairs, with no dictionary: the run's first letter stays
        // glued to the Latin word before it (AL × AL), as the rules say, and the space still ends a piece.
        const string ahom = "\U00011700\U00011701\U00011702\U00011703 \U00011704\U00011705";
        var pieces = Pieces("ab" + ahom);
        Assert.StartsWith("ab\U00011700", pieces[0], StringComparison.Ordinal);
        Assert.EndsWith(" ", pieces[^2], StringComparison.Ordinal);
    }

    [Fact]
    public void AThaiRunAmongLatinWordsKeepsTheRulesAtItsEdgesAndTheDictionaryInside()
    {
        Assert.Equal(["Hello ", "สวัสดี", "ครับ ", "world"], Pieces("Hello สวัสดีครับ world"));
        // A run glued to a Latin word: the rules keep AL × AL at its edges (no break between "ok" and the Thai).
        Assert.Equal(["okสวัสดี", "ครับ"], Pieces("okสวัสดีครับ"));
    }

    [Fact]
    public void ANarrowThaiParagraphEndsEveryLineAtAWord()
    {
        const string text = "ภาษาไทยเป็นภาษาที่มีระดับเสียงของคำแน่นอน";
        var laid = ParagraphLayout.Layout(text, new SpanStyle { Families = ["Noto Sans Thai"], Size = 40 }, new ParagraphStyle { MaxWidth = 260 }, Fonts, _shaping);

        Assert.True(laid.Lines.Count >= 3, $"{laid.Lines.Count} lines");
        var words = new HashSet<int>();
        var at = 0;
        foreach (var word in "ภาษา|ไทย|เป็น|ภาษา|ที่|มี|ระดับ|เสียง|ของ|คำ|แน่นอน".Split('|'))
        {
            at += word.Length;
            words.Add(at);
        }
        Assert.All(laid.Lines, l => Assert.True(l.Width <= 260.01f, $"line {l.Start}-{l.End} is {l.Width} wide"));
        Assert.All(laid.Lines, l => Assert.Contains(l.End, words));
        Assert.Equal(text.Length, laid.Lines[^1].End);
    }
}
