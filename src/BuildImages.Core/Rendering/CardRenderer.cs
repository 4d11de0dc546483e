using System.Globalization;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Layout;
using BuildImages.Core.Markup;
using BuildImages.Core.Templates;
using BuildImages.Core.Text;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Rendering;

/// <summary>
/// The Core API every front renders through: (template, item data, size) → a prepared card, drawable at
/// any scale, plus the list of files it used. One per worker thread.
/// </summary>
public sealed class CardRenderer : IDisposable
{
    private readonly CardEngine _engine;

    internal CardRenderer(CardEngine engine)
    {
        _engine = engine;
    }

    /// <summary>Evaluates and lays out a card. Throws <see cref="BuildInputException"/> with a located diagnostic.</summary>
    /// <param name="template">A template name, folder, or .sbn/.liquid path.</param>
    /// <param name="item">The item's data.</param>
    /// <param name="size">The card size in card pixels.</param>
    /// <param name="itemName">Names the item in diagnostics.</param>
    public PreparedCard Prepare(string template, IReadOnlyDictionary<string, object?> item, CardSize size, string? itemName = null) =>
        Prepare(_engine.Templates.Resolve(template), item, size, itemName);

    public PreparedCard Prepare(TemplateDefinition template, IReadOnlyDictionary<string, object?> item, CardSize size, string? itemName = null) =>
        LayOut(Evaluate(template, item, size, itemName));

    /// <summary>
    /// Evaluates the template only: the markup, which decides the pixels (with the fonts and images it names), and
    /// the template files read. Cheap next to layout, so a batch can recognise equal cards before laying them out.
    /// </summary>
    public EvaluatedCard Evaluate(TemplateDefinition template, IReadOnlyDictionary<string, object?> item, CardSize size, string? itemName = null)
    {
        try
        {
            var compiled = _engine.Compiler.Compile(template);
            var inline = new Dictionary<string, string>(StringComparer.Ordinal);
            var output = compiled.Evaluate(ItemValueLimits.Apply(item, inline), size);
            return new EvaluatedCard(output, size, compiled.Definition.MainFile, itemName, inline);
        }
        catch (BuildInputException ex) when (ex.Diagnostic.Item is null && itemName is not null)
        {
            throw BuildInputException.For(ex.Diagnostic with { Item = itemName }, ex);
        }
    }

    /// <summary>Lays out an evaluated card (markup parse, fonts, text shaping, image sizes).</summary>
    public PreparedCard LayOut(EvaluatedCard card)
    {
        try
        {
            return PrepareMarkup(card.Output, card.Size, card.MainFile, card.ItemName, card.Inline);
        }
        catch (BuildInputException ex) when (ex.Diagnostic.Item is null && card.ItemName is not null)
        {
            throw BuildInputException.For(ex.Diagnostic with { Item = card.ItemName }, ex);
        }
    }

    /// <summary>Renders one card at a scale in one call.</summary>
    public RenderedCard Render(string template, IReadOnlyDictionary<string, object?> item, CardSize size, double scale = 1, string? itemName = null)
    {
        using var prepared = Prepare(template, item, size, itemName);
        return prepared.Draw(scale);
    }

    private PreparedCard PrepareMarkup(TemplateOutput output, CardSize size, string mainFile, string? itemName, IReadOnlyDictionary<string, string> inline)
    {
        var markup = output.Markup;
        var services = new RenderServices(_engine.Text, _engine.Assets, _engine.Images, inline);
        try
        {
            var card = CardMarkupParser.Parse(markup, size.Width, size.Height);
            CheckFonts(card);
            var root = new CardLayout(services).LayoutCard(card);
            var warnings = Coverage(services.Usage, mainFile, itemName);
            var inputs = new CardInputs(
                output.SourceFiles.Order(StringComparer.Ordinal).ToList(),
                services.Usage.FontFiles.ToList(),
                services.AssetFiles.ToList());
            var owned = services.Images.ToArray<IDisposable>();
            return new PreparedCard(root, size.Width, size.Height, markup, warnings, inputs, owned, _engine.Text);
        }
        catch (BuildInputException ex)
        {
            DisposeAll(services);
            throw BuildInputException.For(output.Locate(ex.Diagnostic), ex);
        }
        catch
        {
            DisposeAll(services);
            throw;
        }
    }

    private static void DisposeAll(RenderServices services)
    {
        foreach (var image in services.Images)
        {
            image.Dispose();
        }
    }

    private void CheckFonts(CardRootNode card)
    {
        void Check(string? chain, MarkupPosition at)
        {
            // The chain's first family is the one the template asks for: missing, it is a typo or a font not installed.
            // Later families are fallbacks, as in CSS: one this machine lacks is skipped (a character no font covers
            // is still reported), so the built-in templates' Noto chain runs where only the shipped fonts are.
            if (chain is not null && FontCatalog.SplitChain(chain).FirstOrDefault() is { } missing && !_engine.Fonts.HasFamily(missing))
            {
                throw BuildInputException.For(new Diagnostic(
                    DiagnosticSeverity.Error,
                    DiagnosticCodes.MissingFont,
                    $"font family '{missing}' is not installed and not in the project's font folders" + Suggest(missing),
                    Line: at.Line,
                    Column: at.Column));
            }
        }
        void Inlines(IEnumerable<InlineNode> inlines, MarkupPosition at)
        {
            foreach (var span in inlines.OfType<InlineSpan>())
            {
                Check(span.Style.FontFamily, at);
                Inlines(span.Children, at);
            }
        }
        void Walk(CardNode node)
        {
            switch (node)
            {
                case ContainerNode c:
                    Check(c.Text.FontFamily, c.Position);
                    foreach (var child in c.Children)
                    {
                        Walk(child);
                    }
                    break;
                case TextNode t:
                    Check(t.Text.FontFamily, t.Position);
                    Inlines(t.Inlines, t.Position);
                    break;
            }
        }
        Walk(card);
    }

    private string Suggest(string missing)
    {
        if (NearestName.Of(missing, _engine.Fonts.Families) is { } near && near != missing)
        {
            return $"; did you mean '{near}'?";
        }
        var close = _engine.Fonts.Families
            .Where(f => f.Contains(missing.Split(' ')[0], StringComparison.OrdinalIgnoreCase))
            .Take(5)
            .ToList();
        return close.Count == 0 ? string.Empty : "; similar: " + string.Join(", ", close);
    }

    private List<Diagnostic> Coverage(TextUsage usage, string mainFile, string? itemName)
    {
        var diagnostics = new List<Diagnostic>();
        foreach (var (cp, text) in usage.Uncovered)
        {
            var shown = text.Length > 60 ? text[..60] + "…" : text;
            Report(DiagnosticCodes.UncoveredCodePoint, string.Create(CultureInfo.InvariantCulture, $"no font in the fallback chain covers U+{cp:X4} in \"{shown}\"; it would draw as a box"));
        }
        foreach (var face in usage.ColourFaces.Values.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Index).Where(f => !_engine.Text.DrawsColour(f)))
        {
            Report(DiagnosticCodes.ColourGlyphsNotDrawn, $"the colour glyphs of '{Path.GetFileName(face.File)}' ({face.Family}) come out blank on this machine: " + (OperatingSystem.IsWindows()
                ? "Skia on Windows draws through DirectWrite, which draws COLRv1 emoji from Windows 11 on; render on Linux or macOS, or use an emoji font this machine draws"
                : "Skia draws none of its colour tables here (an SVG-only or damaged emoji font?); use another emoji font"));
        }
        return diagnostics;

        // Text that would not draw as written: a warning, or in strict mode an error that fails the card.
        void Report(string code, string message)
        {
            var diagnostic = new Diagnostic(_engine.Compiler.Options.Strict ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, code, message, mainFile, Item: itemName);
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                throw BuildInputException.For(diagnostic);
            }
            diagnostics.Add(diagnostic);
        }
    }

    public void Dispose()
    {
        // libvips keeps per-thread buffers; a renderer is a worker thread's, so release them here.
        Native.VipsRuntime.ThreadShutdown();
    }
}
