namespace BuildImages.Core.Diagnostics;

/// <summary>Stable error codes; documented in README.md ("Error codes").</summary>
public static class DiagnosticCodes
{
    public const string DataSyntax = "BI0010";
    public const string DataNotFound = "BI0011";
    public const string TemplateSyntax = "BI0100";
    public const string MissingInclude = "BI0101";
    public const string PathOutsideRoots = "BI0102";
    public const string MissingVariable = "BI0103";
    public const string TemplateTimeLimit = "BI0104";
    public const string IncludeCycle = "BI0105";
    public const string TemplateNotFound = "BI0106";
    public const string MarkupSyntax = "BI0200";
    public const string UnknownElement = "BI0201";
    public const string UnknownAttribute = "BI0202";
    public const string BadAttributeValue = "BI0203";
    public const string MissingImage = "BI0300";
    public const string CorruptImage = "BI0301";
    public const string MissingFont = "BI0400";
    public const string UncoveredCodePoint = "BI0401";
    public const string MissingFontFolder = "BI0402";
}
