namespace BuildImages.Core.Diagnostics;

/// <summary>A render failed for a reason the user can fix; carries the located diagnostic.</summary>
public sealed class CardException : Exception
{
    public CardException(Diagnostic diagnostic) : base(diagnostic.ToString()) => Diagnostic = diagnostic;

    public CardException(Diagnostic diagnostic, Exception inner) : base(diagnostic.ToString(), inner) => Diagnostic = diagnostic;

    public Diagnostic Diagnostic { get; }

    internal static CardException Error(string code, string message, string? file = null, int line = 0, int column = 0) =>
        new(new Diagnostic(DiagnosticSeverity.Error, code, message, file, line, column));

    /// <summary>A JSON syntax error at its line and column, without System.Text.Json's path and position suffixes.</summary>
    internal static CardException FromJson(string code, System.Text.Json.JsonException ex, string file) =>
        Error(code, "invalid JSON: " + ex.Message.Split(" LineNumber:")[0].Split(" Path:")[0].TrimEnd('.'), file, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1);

    /// <summary>An error located in the rendered card markup (mapped to the template later).</summary>
    internal static CardException AtMarkup(string code, string message, Markup.MarkupPosition at) =>
        Error(code, message, null, at.Line, at.Column);
}
