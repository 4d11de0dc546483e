namespace BuildImages.Tool;

/// <summary>The tool's exit codes (documented in README.md).</summary>
internal static class ExitCodes
{
    internal const int Success = 0;
    internal const int ItemsFailed = 1;
    internal const int Usage = 2;
    internal const int Cancelled = 130;
}
