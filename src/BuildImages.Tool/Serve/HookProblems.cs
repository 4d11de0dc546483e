using BuildImages.Core.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace BuildImages.Tool.Serve;

/// <summary>
/// The server's error answers, as Problem Details (RFC 9457, <c>application/problem+json</c>): <c>status</c>,
/// <c>title</c> (the status's reason phrase), <c>detail</c> (one plain sentence), and <c>code</c> (the BI code); a
/// located problem adds <c>file</c> (relative to the configuration's folder), <c>line</c> and <c>column</c>. Never a stack
/// trace, a secret, or a file's content; to a caller that proved no secret, never a path either.
/// </summary>
internal static class HookProblems
{
    internal static IResult Of(int status, string code, string detail) =>
        TypedResults.Problem(detail: Printable.Of(detail), statusCode: status, title: ReasonPhrases.GetReasonPhrase(status),
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code });

    /// <summary>A located problem for a caller that proved a secret: where in the configuration, templates or data it is.</summary>
    internal static IResult Located(int status, Diagnostic diagnostic, string baseDirectory)
    {
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = diagnostic.Code };
        if (diagnostic.File is { } file)
        {
            extensions["file"] = Path.IsPathRooted(file) ? Path.GetRelativePath(baseDirectory, file).Replace('\\', '/') : file;
            if (diagnostic.Line > 0)
            {
                extensions["line"] = diagnostic.Line;
                extensions["column"] = diagnostic.Column;
            }
        }
        return TypedResults.Problem(detail: Printable.Of(diagnostic.Message), statusCode: status, title: ReasonPhrases.GetReasonPhrase(status), extensions: extensions);
    }

    /// <summary>What a caller that proved no secret learns of a problem on the server's side: its code, and where to look.</summary>
    internal static IResult Unlocated(int status, Diagnostic diagnostic) =>
        Of(status, diagnostic.Code, status >= 500
            ? "the server cannot answer this now; its log names the problem"
            : "the card could not be rendered; the server's log names the problem");
}
