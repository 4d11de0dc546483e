using BuildImages.Core.Encoding;
using BuildImages.Core.Templates;

namespace BuildImages.Tool;

/// <summary>Parsed arguments of <c>render</c>.</summary>
internal sealed record RenderArguments
{
    public string Template { get; private init; } = string.Empty;
    public string Data { get; private init; } = string.Empty;
    public List<CardSize> Sizes { get; } = [];
    public string Out { get; private init; } = "out";
    public ImageFormat Format { get; private init; } = ImageFormat.Png;
    public int? Width { get; private init; }
    public int? Quality { get; private init; }
    public List<string> Assets { get; } = [];
    public List<string> Fonts { get; } = [];
    public bool Strict { get; private init; }
    public bool ShowHelp { get; private init; }

    internal static RenderArguments Parse(string[] args)
    {
        var r = new RenderArguments();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "-h" or "--help": r = r with { ShowHelp = true }; break;
                case "--template": r = r with { Template = Next() }; break;
                case "--data": r = r with { Data = Next() }; break;
                case "--out": r = r with { Out = Next() }; break;
                case "--strict": r = r with { Strict = true }; break;
                case "--size":
                    foreach (var s in Next().Split(','))
                    {
                        r.Sizes.Add(CardSize.TryParse(s, out var size) ? size : throw new ArgumentException($"--size '{s}' is not WIDTHxHEIGHT (1–8192)"));
                    }
                    break;
                case "--format":
                    var f = Next();
                    r = r with
                    {
                        Format = f.ToLowerInvariant() switch
                        {
                            "webp" => ImageFormat.WebP,
                            "jpeg" or "jpg" => ImageFormat.Jpeg,
                            "png" => ImageFormat.Png,
                            _ => throw new ArgumentException($"--format '{f}' is not webp, jpeg or png"),
                        },
                    };
                    break;
                case "--width": r = r with { Width = int.TryParse(Next(), out var w) && w is > 0 and <= 16384 ? w : throw new ArgumentException("--width must be 1–16384") }; break;
                case "--quality": r = r with { Quality = int.TryParse(Next(), out var q) && q is >= 1 and <= 100 ? q : throw new ArgumentException("--quality must be 1–100") }; break;
                case "--assets": r.Assets.Add(Next()); break;
                case "--fonts": r.Fonts.Add(Next()); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        if (!r.ShowHelp && (r.Template.Length == 0 || r.Data.Length == 0))
        {
            throw new ArgumentException("--template and --data are required");
        }
        return r;
    }
}
