namespace BuildImages.Tool;

/// <summary>The tool's exit codes (documented in README.md).</summary>
internal static class ExitCodes
{
    internal const int Success = 0;
    internal const int ItemsFailed = 1;
    internal const int Usage = 2;
    internal const int Cancelled = 130;

    /// <summary>A bug in BuildImages (BI0009), as sysexits' EX_SOFTWARE: not the input's fault.</summary>
    internal const int InternalError = 70;

    /// <summary>Stopped by SIGTERM (what CI runners and Kubernetes send), after writing what finished, as shells report it.</summary>
    internal const int Terminated = 143;
}
