namespace BuildImages.Tool;

/// <summary>Where the tool reads and writes, and whether a person is watching (progress bar) or a log is (plain lines).</summary>
internal sealed record ToolConsole(TextWriter Out, TextWriter Error, TextReader In, bool IsTerminal, string WorkingDirectory)
{
    internal static ToolConsole System() => new(
        Console.Out,
        Console.Error,
        Console.In,
        !Console.IsErrorRedirected && !IsCi() && Environment.GetEnvironmentVariable("TERM") is not "dumb",
        Directory.GetCurrentDirectory());

    private static bool IsCi() =>
        Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && !ci.Equals("false", StringComparison.OrdinalIgnoreCase);

    internal string Full(string path) => Path.GetFullPath(Path.Combine(WorkingDirectory, path));
}
