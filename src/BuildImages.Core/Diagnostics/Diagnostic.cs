namespace BuildImages.Core.Diagnostics;

/// <summary>How bad a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>
/// One problem with a location. Formats in the MSBuild canonical form
/// (<c>file(line,col): error BI0001: message</c>) so editors and CI annotate it.
/// </summary>
public sealed record Diagnostic(
    DiagnosticSeverity Severity,
    string Code,
    string Message,
    string? File = null,
    int Line = 0,
    int Column = 0,
    string? Item = null)
{
    public override string ToString()
    {
        var location = File ?? Item ?? "buildimages";
        if (File is not null && Line > 0)
        {
            location += Column > 0 ? $"({Line},{Column})" : $"({Line})";
        }
        var item = Item is not null && File is not null ? $" [item {Item}]" : string.Empty;
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        // One line, whatever the data held: item names and messages quote slugs and titles.
        return Printable.Of($"{location}: {severity} {Code}: {Message}{item}");
    }
}
