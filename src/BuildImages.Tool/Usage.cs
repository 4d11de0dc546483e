namespace BuildImages.Tool;

/// <summary>Top-level help.</summary>
internal static class Usage
{
    internal static int Print(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var help = args.Length == 0 || args[0] is "-h" or "--help" or "help";
        (help ? stdout : stderr).WriteLine(
            """
            dotnet build-images — build-time social cards

            Commands:
              render   Render items of a JSON data file with a template.

            Example:
              dotnet build-images render --template blog-post --data samples/blog-post/posts.json --out out/cards

            Run 'dotnet build-images render --help' for options.
            """);
        return help ? 0 : 2;
    }
}
