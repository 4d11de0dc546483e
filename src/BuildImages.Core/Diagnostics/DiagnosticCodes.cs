namespace BuildImages.Core.Diagnostics;

/// <summary>Stable error codes; documented in docs/troubleshooting.md ("Error codes").</summary>
public static class DiagnosticCodes
{
    public const string ConfigSyntax = "BI0001";
    public const string InternalError = "BI0009";
    public const string Usage = "BI0002";

    /// <summary>The native libraries the engine draws and encodes with are not installed; the message says how to install them.</summary>
    public const string NativeLibrariesMissing = "BI0003";
    public const string ConfigValue = "BI0004";
    public const string ConfigNotFound = "BI0005";
    public const string DataSyntax = "BI0010";
    public const string DataNotFound = "BI0011";
    public const string DataGlobEmpty = "BI0012";
    public const string RelativeTagUrls = "BI0014";
    public const string FieldTooLarge = "BI0013";
    public const string SourceOutsideRoots = "BI0015";
    public const string UnsafeOutputPath = "BI0020";
    public const string OutputCollision = "BI0021";
    public const string OutputPattern = "BI0022";
    public const string VariantTooWide = "BI0023";
    public const string OutputThroughLink = "BI0024";
    public const string OutputOverSource = "BI0026";
    public const string OverBudget = "BI0030";
    public const string ManifestUnreadable = "BI0031";
    public const string PruneSkipped = "BI0032";
    public const string WriteFailed = "BI0033";
    public const string RenderFailed = "BI0034";
    public const string OutputFolderLocked = "BI0035";

    /// <summary>A web project's wwwroot holds an older copy of a card the build serves as a static web asset (the MSBuild package raises it).</summary>
    public const string StaleWebRootCopy = "BI0036";

    /// <summary>The remote cache failed, answered with bytes that do not match their hash, or with a mapping whose signature does not check: a warning; the output is rendered locally.</summary>
    public const string RemoteCache = "BI0037";

    /// <summary>An output the build was told to take from the remote cache only (<c>--require-cached</c>) is not there.</summary>
    public const string NotInRemoteCache = "BI0038";
    public const string TemplateSyntax = "BI0100";
    public const string MissingInclude = "BI0101";
    public const string PathOutsideRoots = "BI0102";
    public const string MissingVariable = "BI0103";
    public const string TemplateTimeLimit = "BI0104";
    public const string IncludeCycle = "BI0105";
    public const string TemplateNotFound = "BI0106";
    public const string ImpureFunction = "BI0107";
    public const string MarkupSyntax = "BI0200";
    public const string UnknownElement = "BI0201";
    public const string UnknownAttribute = "BI0202";
    public const string BadAttributeValue = "BI0203";
    public const string MissingImage = "BI0300";
    public const string CorruptImage = "BI0301";
    public const string DrawingBudget = "BI0302";
    public const string ImageWarning = "BI0303";
    public const string MissingFont = "BI0400";
    public const string UncoveredCodePoint = "BI0401";
    public const string MissingFontFolder = "BI0402";

    /// <summary>A colour (emoji) font whose glyphs this platform's Skia draws blank (warning; error in strict mode).</summary>
    public const string ColourGlyphsNotDrawn = "BI0403";
}
