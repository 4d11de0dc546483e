using BuildImages.Core.Rendering;
using BuildImages.Core.Configuration;

namespace BuildImages.Core.Tests;

/// <summary>What the built-in templates do with the fields a new user's data has (issue 22's smaller fixes).</summary>
public sealed class BuiltInTemplateFieldTests : IDisposable
{
    private readonly CardEngine _engine = new(new EngineOptions { TemplateRoots = [Path.Combine(TestCards.RepoRoot, "templates")] });

    public void Dispose() => _engine.Dispose();

    private string Markup(string template, Dictionary<string, object?> fields)
    {
        using var renderer = _engine.CreateRenderer();
        using var prepared = renderer.Prepare(template, fields, new Templates.CardSize(1200, 630));
        return prepared.Markup;
    }

    [Fact]
    public void APostWithoutADescriptionShowsItsMarkdownExcerptAndADescriptionWinsOverIt()
    {
        var excerpt = Markup("blog-post", new() { ["title"] = "T", ["excerpt"] = "The first words of the body" });
        var both = Markup("blog-post", new() { ["title"] = "T", ["description"] = "Written for the card", ["excerpt"] = "The first words of the body" });

        Assert.Contains(">The first words of the body<", excerpt, StringComparison.Ordinal);
        Assert.Contains(">Written for the card<", both, StringComparison.Ordinal);
        Assert.DoesNotContain("The first words", both, StringComparison.Ordinal);
    }

    [Fact]
    public void PricesHaveTheirCurrencysDecimalsAndDatesTheItemsLanguage()
    {
        var yen = Markup("product-card", new() { ["name"] = "Bottle", ["price"] = 4980, ["currency"] = "JPY" });
        var euro = Markup("product-card", new() { ["name"] = "Bottle", ["price"] = 129, ["currency"] = "EUR", ["lang"] = "de-DE" });
        var arabic = Markup("blog-post", new() { ["title"] = "T", ["date"] = "2026-02-11", ["lang"] = "ar" });

        Assert.Contains(">¥4,980<", yen, StringComparison.Ordinal);
        Assert.Contains(">129,00 €<", euro, StringComparison.Ordinal);
        Assert.Contains("11 فبراير 2026", arabic, StringComparison.Ordinal);
    }
}
