using BuildImages.Core.Diagnostics;

namespace BuildImages.Tool;

/// <summary>Usage errors (BI0002): <see cref="Cli"/> prints them in the canonical format and exits 2.</summary>
internal static class ToolErrors
{
    internal static BuildInputException Usage(string message, string? file = null) =>
        new(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.Usage, message, file));
}
