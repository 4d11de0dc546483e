namespace BuildImages.Core.Tests;

/// <summary>Rows mirror in right-to-left cards: from dir="rtl", from dir="auto" (the first strong character), and in the built-in templates.</summary>
public sealed class RightToLeftTests : IDisposable
{
    private readonly TestCards _cards = new();

    public void Dispose() => _cards.Dispose();

    /// <summary>A red square then a blue square in a row: where does the red one land?</summary>
    private bool RedIsOnTheRight(string dir, string text = "x")
    {
        var card = _cards.Render($$$"""
            <card width="{{ card.width }}" height="{{ card.height }}" background="#ffffff" {{{dir}}}>
              <row width="100%" height="100%" padding="10" gap="10">
                <rect width="50" height="50" fill="#ff0000"/>
                <rect width="50" height="50" fill="#0000ff"/>
                <text font-size="20" color="#ffffff">{{{text}}}</text>
              </row>
            </card>
            """, width: 400, height: 100);
        var left = card.PixelAt(35, 35);
        var right = card.PixelAt(365, 35);
        static bool Red((byte R, byte G, byte B, byte A) p) => p.R > 200 && p.G < 60 && p.B < 60;
        Assert.True(Red(left) ^ Red(right), $"one red square at an edge (left {left}, right {right})");
        return Red(right);
    }

    [Fact]
    public void ARowInALeftToRightCardStartsAtTheLeft() => Assert.False(RedIsOnTheRight(string.Empty));

    [Fact]
    public void ARowInARightToLeftCardStartsAtTheRight() => Assert.True(RedIsOnTheRight("dir=\"rtl\""));

    [Theory]
    [InlineData("مرحبا بالعالم", true)]
    [InlineData("שלום עולם", true)]
    [InlineData("123 — Hello", false)]
    [InlineData("2026: مرحبا", true)]
    public void AutoTakesTheFirstStrongCharacterOfTheBoxsText(string text, bool rtl) => Assert.Equal(rtl, RedIsOnTheRight("dir=\"auto\"", text));

    [Theory]
    [InlineData("مرحبا", "rtl")]
    [InlineData("Hello", "ltr")]
    [InlineData("42 שלום", "rtl")]
    [InlineData("", "ltr")]
    public void TheTextDirectionHelperGivesWhatACardNeeds(string text, string expected) =>
        Assert.Equal(expected, Layout.TextDirection.Of(text));
}
