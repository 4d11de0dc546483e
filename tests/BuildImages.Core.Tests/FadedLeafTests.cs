namespace BuildImages.Core.Tests;

/// <summary>
/// A faded leaf (text, rect, ellipse) is composed in a layer bounded by the ink it can put down, not one the size of
/// the card; the bounds must never cut its shadow, stroke or overhanging glyphs. Each case is drawn faded on its
/// own and inside a column that carries the opacity instead (a container's group is still the whole card): the
/// pixels must be the same.
/// </summary>
public sealed class FadedLeafTests : IDisposable
{
    private readonly TestCards _cards = new();

    public void Dispose() => _cards.Dispose();

    public static TheoryData<string, string> Leaves => new()
    {
        // Marks above and below the line box, an emoji, a deep soft shadow.
        { """<text font-size="44" line-height="0.8" shadow="14 18 12 rgba(0,0,0,0.9)">Ǻ ÿ ก้ำ Ṩ 😀</text>""", "300" },
        { """<text font-size="30" font-style="italic" letter-spacing="-2" background="#fde68a" padding="4 8" radius="8">ffi Wolf, Vậy</text>""", "260" },
        { """<rect height="80" fill="#ef4444" stroke="#1d4ed8" stroke-width="14" radius="18" shadow="12 14 16 rgba(0,0,0,0.85)"/>""", "120" },
        { """<ellipse height="70" fill="#22c55e" stroke="#7c3aed" stroke-width="10" shadow="-10 12 14 rgba(0,0,0,0.8)"/>""", "110" },
    };

    [Theory]
    [MemberData(nameof(Leaves))]
    public void AFadedLeafDrawsWhatTheSameLeafDrawsInAFadedGroup(string leaf, string width)
    {
        var space = leaf.IndexOf(' ', StringComparison.Ordinal);
        var alone = leaf[..space] + $" x=\"70\" y=\"70\" width=\"{width}\" opacity=\"0.6\"" + leaf[space..];
        var grouped = $"""<column x="70" y="70" width="{width}" opacity="0.6">{leaf}</column>""";
        const string Card = """<card width="460" height="260" background="linear-gradient(90deg, #f8fafc, #94a3b8)" color="#0f172a" font-family="Inter, Noto Sans Thai, Noto Color Emoji">{0}</card>""";

        var expected = _cards.Render(string.Format(System.Globalization.CultureInfo.InvariantCulture, Card, grouped), width: 460, height: 260).ToRgba();
        var actual = _cards.Render(string.Format(System.Globalization.CultureInfo.InvariantCulture, Card, alone), width: 460, height: 260).ToRgba();

        Assert.Equal(expected.Length, actual.Length);
        var differing = Enumerable.Range(0, expected.Length).Count(i => expected[i] != actual[i]);
        Assert.Equal(0, differing);
        // And the case draws something faded where the shadow falls: the comparison is not of two blank cards.
        Assert.Contains(Enumerable.Range(0, expected.Length / 4), p => expected[(p * 4) + 3] == 255 && expected[p * 4] < 200 && expected[(p * 4) + 1] < 200);
    }

    /// <summary>The red square's bounding box: where the element after the faded one was drawn.</summary>
    private static (int Left, int Top, int Right, int Bottom) RedBox(byte[] rgba, int width)
    {
        var (left, top, right, bottom) = (int.MaxValue, int.MaxValue, -1, -1);
        for (var p = 0; p < rgba.Length / 4; p++)
        {
            if (rgba[p * 4] > 200 && rgba[(p * 4) + 1] < 60 && rgba[(p * 4) + 2] < 60)
            {
                (left, top, right, bottom) = (Math.Min(left, p % width), Math.Min(top, p / width), Math.Max(right, p % width), Math.Max(bottom, p / width));
            }
        }
        return (left, top, right, bottom);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("column")]
    public void AnElementAfterAFadedOneIsDrawnWhereItIsLaidOut(string faded)
    {
        // Found on the peer card: an opacity group is a second save of the canvas, and one restore left the faded
        // element's translation on every sibling after it (its title and byline pushed right and off the card).
        var first = faded == "text" ? """<text font-size="30" opacity="{0}">Faded</text>""" : """<column padding="10" opacity="{0}"><text font-size="30">Faded</text></column>""";
        const string Card = """<card width="300" height="200" background="#ffffff" color="#000000" font-family="Inter"><column x="40" y="30" width="200" padding="12" gap="6">{0}<rect width="60" height="40" fill="#ff0000"/></column></card>""";
        string Markup(string opacity) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Card, string.Format(System.Globalization.CultureInfo.InvariantCulture, first, opacity));

        var opaque = RedBox(_cards.Render(Markup("1"), width: 300, height: 200).ToRgba(), 300);
        var fadedBox = RedBox(_cards.Render(Markup("0.5"), width: 300, height: 200).ToRgba(), 300);

        Assert.Equal(52, opaque.Left);
        Assert.Equal(opaque, fadedBox);
    }
}
