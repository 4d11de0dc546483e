namespace BuildImages.Core.Diagnostics;

/// <summary>
/// A problem in what the user gave (configuration, data, template, markup, an image or a font) that the user can fix;
/// carries the located diagnostic. Thrown as the subclass named for what failed, chosen by the diagnostic's code:
/// <see cref="ConfigurationException"/>, <see cref="DataException"/>, <see cref="OutputException"/>,
/// <see cref="TemplateException"/>, <see cref="MarkupException"/>, <see cref="ImageException"/>, <see cref="FontException"/>.
/// </summary>
public class BuildInputException : Exception
{
    public BuildInputException(Diagnostic diagnostic) : base(diagnostic.ToString()) => Diagnostic = diagnostic;

    public BuildInputException(Diagnostic diagnostic, Exception? inner) : base(diagnostic.ToString(), inner) => Diagnostic = diagnostic;

    /// <summary>The located problem: code, file, line, column, item and words.</summary>
    public Diagnostic Diagnostic { get; }

    /// <summary>The exception named for what failed, by the code's range (BI0001, BI0004, BI0005 configuration, BI001x data, BI002x–BI003x output and bookkeeping, BI01xx template, BI02xx markup, BI03xx image, BI04xx font).</summary>
    public static BuildInputException For(Diagnostic diagnostic, Exception? inner = null) => diagnostic.Code switch
    {
        ['B', 'I', '0', '0', '0', '1' or '4' or '5'] => new ConfigurationException(diagnostic, inner),
        ['B', 'I', '0', '0', '1', _] => new DataException(diagnostic, inner),
        ['B', 'I', '0', '0', '2' or '3', _] => new OutputException(diagnostic, inner),
        ['B', 'I', '0', '1', _, _] => new TemplateException(diagnostic, inner),
        ['B', 'I', '0', '2', _, _] => new MarkupException(diagnostic, inner),
        ['B', 'I', '0', '3', _, _] => new ImageException(diagnostic, inner),
        ['B', 'I', '0', '4', _, _] => new FontException(diagnostic, inner),
        _ => new BuildInputException(diagnostic, inner),
    };

    internal static BuildInputException Error(string code, string message, string? file = null, int line = 0, int column = 0) =>
        For(new Diagnostic(DiagnosticSeverity.Error, code, message, file, line, column));

    /// <summary>A JSON syntax error at its line and column, without System.Text.Json's path and position suffixes.</summary>
    internal static BuildInputException FromJson(string code, System.Text.Json.JsonException ex, string file) =>
        Error(code, "invalid JSON: " + ex.Message.Split(" LineNumber:")[0].Split(" Path:")[0].TrimEnd('.'), file, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1);
}

/// <summary>The configuration is wrong (BI0001 syntax, BI0004 a value, BI0005 not found).</summary>
public sealed class ConfigurationException(Diagnostic diagnostic, Exception? inner = null) : BuildInputException(diagnostic, inner);

/// <summary>A data file or item is wrong (BI001x).</summary>
public sealed class DataException(Diagnostic diagnostic, Exception? inner = null) : BuildInputException(diagnostic, inner);

/// <summary>An output cannot be named or written where asked, or the bookkeeping cannot be (BI002x–BI003x).</summary>
public sealed class OutputException(Diagnostic diagnostic, Exception? inner = null) : BuildInputException(diagnostic, inner);

/// <summary>A template is wrong or cannot be found (BI01xx).</summary>
public sealed class TemplateException(Diagnostic diagnostic, Exception? inner = null) : BuildInputException(diagnostic, inner);

/// <summary>The card markup a template produced is wrong (BI02xx).</summary>
public sealed class MarkupException(Diagnostic diagnostic, Exception? inner = null) : BuildInputException(diagnostic, inner);

/// <summary>An image the card or a photo job reads is missing, corrupt or over a budget (BI03xx).</summary>
public sealed class ImageException(Diagnostic diagnostic, Exception? inner = null) : BuildInputException(diagnostic, inner);

/// <summary>A font is missing or does not cover the text (BI04xx).</summary>
public sealed class FontException(Diagnostic diagnostic, Exception? inner = null) : BuildInputException(diagnostic, inner);
