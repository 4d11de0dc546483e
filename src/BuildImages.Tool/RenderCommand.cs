using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Encoders;
using BuildImages.Core.Templates;

namespace BuildImages.Tool;

/// <summary>
/// <c>render</c>: renders the items given (a file, or JSON on stdin) under one job of the configuration, with
/// its output names, variants and manifest, so a CMS publish hook renders just the item that changed. Without
/// a configuration it renders with the options given into --out.
/// </summary>
internal static class RenderCommand
{
    internal static Command Create(ToolConsole console)
    {
        var job = new Option<string?>("--job") { Description = "the configuration's job to render under (default: the job using --template, or the only job)" };
        var template = new Option<string?>("--template", "-t") { Description = "template name or path (needed without a configuration)" };
        var data = new Option<string>("--data", "-d") { Description = "JSON object or array ('-' reads stdin), or a YAML, CSV or Markdown file", Required = true };
        var sizes = new Option<string[]>("--size") { Description = "card size WxH, repeatable (without a configuration; default: the template's first size)", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--out") { Description = "output folder (default: the configuration's outputDir, else ./out)" };
        var format = new Option<string>("--format") { Description = "webp | jpeg | png (without a configuration)", DefaultValueFactory = _ => "png" };
        format.AcceptOnlyFromAmong("webp", "jpeg", "jpg", "png");
        var width = new Option<int?>("--width") { Description = "pixel width (without a configuration; default: the card width)" };
        var quality = new Option<int?>("--quality") { Description = "1-100 (without a configuration)" };
        quality.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } q && q is < 1 or > 100)
            {
                r.AddError("--quality must be 1-100");
            }
        });
        var assets = new Option<string[]>("--assets") { Description = "asset folder, repeatable (without a configuration; default: the data file's folder)" };
        var fonts = new Option<string[]>("--fonts") { Description = "project font folder, repeatable (without a configuration)" };
        var strict = new Option<bool>("--strict") { Description = "missing variables and uncovered characters are errors" };
        var force = new Option<bool>("--force") { Description = "render even if the manifest says the outputs are current" };
        var command = new Command("render",
            """
            Render the given items and print the files as JSON on stdout. Under a configuration the items use a job's
            output names, variants and manifest (unchanged items are not rendered again); images.json is updated.

            Examples:
              echo '{"slug":"hello","title":"Hello"}' | dotnet build-images render --job blog --data -
              dotnet build-images render --template blog-post --data posts.json --format webp --out out/cards
            """)
        {
            BuildCommand.Config, job, template, data, sizes, output, format, width, quality, assets, fonts, strict, force,
        };
        command.SetAction(parsed =>
        {
            var dataArg = parsed.GetValue(data)!;
            var configFile = console.Full(parsed.GetValue(BuildCommand.Config)!);
            var explicitConfig = parsed.GetResult(BuildCommand.Config) is { Implicit: false };
            var outDir = parsed.GetValue(output) is { } o ? console.Full(o) : null;
            BuildConfig config;
            string jobName;
            if (File.Exists(configFile) || explicitConfig)
            {
                config = ConfigLoader.Load(configFile, outDir);
                jobName = PickJob(config, parsed.GetValue(job), parsed.GetValue(template));
            }
            else
            {
                var templateName = parsed.GetValue(template) ?? throw ToolErrors.Usage("--template is needed when there is no buildimages.json (or pass --config)");
                var dataDir = dataArg == "-" ? console.WorkingDirectory : Path.GetDirectoryName(console.Full(dataArg))!;
                config = Standalone(console, templateName, outDir ?? console.Full("out"), parsed.GetValue(sizes) ?? [], parsed.GetValue(format)!, parsed.GetValue(width), parsed.GetValue(quality),
                    parsed.GetValue(assets) is { Length: > 0 } a ? a.Select(console.Full).ToList() : [dataDir, Path.Combine(dataDir, "assets")],
                    (parsed.GetValue(fonts) ?? []).Select(console.Full).ToList());
                jobName = config.Jobs[0].Name;
            }
            var items = LoadItems(console, dataArg, config.BaseDirectory);
            var reporter = new ConsoleReporter(console with { IsTerminal = false }, quiet: true, explain: false);
            var (result, exitCode) = BuildCommand.RunInterruptible(config, new BuildOptions { ItemsOverride = (jobName, items), Force = parsed.GetValue(force), Strict = parsed.GetValue(strict) }, reporter);
            var written = result.Outputs
                .Where(r => r.Status is OutputStatus.Rendered or OutputStatus.Skipped or OutputStatus.Deduplicated)
                .Select(r => new { path = Path.Combine(config.OutputDirectory, r.Path), relative = r.Path, r.Width, r.Height, type = r.Format, r.Bytes, r.Status, item = r.Item });
            console.Out.WriteLine(JsonSerializer.Serialize(written, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return exitCode;
        });
        return command;
    }

    private static string PickJob(BuildConfig config, string? job, string? template)
    {
        if (job is not null)
        {
            return config.Jobs.Any(j => j.Name == job) ? job : throw ToolErrors.Usage($"no job is named '{job}' (jobs: {string.Join(", ", config.Jobs.Select(j => j.Name))})");
        }
        if (template is null)
        {
            return config.Jobs.Count == 1 ? config.Jobs[0].Name : throw ToolErrors.Usage($"say which job to render under with --job ({string.Join(", ", config.Jobs.Select(j => j.Name))})");
        }
        // '--template blog-post' and a job's 'templates/blog-post' (a copy made by init) are compared by what they resolve to.
        var catalog = new Workspace(config).Templates;
        string? Resolved(string t)
        {
            try
            {
                return catalog.Resolve(t, config.BaseDirectory).MainFile;
            }
            catch (BuildInputException)
            {
                return null;
            }
        }
        var wanted = Resolved(template);
        var matching = config.Jobs.Where(j => j.Template == template || (wanted is not null && Resolved(j.Template) == wanted)).ToList();
        return matching.Count switch
        {
            1 => matching[0].Name,
            0 when config.Jobs.Count == 1 && string.Equals(Path.GetFileName(Path.GetDirectoryName(Resolved(config.Jobs[0].Template) ?? string.Empty)), Path.GetFileName(template.TrimEnd('/')), StringComparison.Ordinal) => config.Jobs[0].Name,
            0 => throw ToolErrors.Usage($"--template '{template}' is not the template of any job ({string.Join(", ", config.Jobs.Select(j => $"{j.Name}: {j.Template}"))}); pass --job to render under one of them, or --config to another configuration"),
            _ => throw ToolErrors.Usage($"jobs {string.Join(", ", matching.Select(j => j.Name))} all use '{template}'; say which with --job"),
        };
    }

    /// <summary>A configuration made from the command line, when there is no buildimages.json.</summary>
    private static BuildConfig Standalone(ToolConsole console, string template, string outDir, string[] sizes, string format, int? width, int? quality, List<string> assets, List<string> fonts)
    {
        var parsedSizes = sizes.SelectMany(s => s.Split(',')).Select(s => CardSize.TryParse(s, out var size) ? (CardSize?)size : throw ToolErrors.Usage($"--size '{s}' is not WIDTHxHEIGHT (1-8192)")).ToList();
        var imageFormat = format switch { "webp" => ImageFormat.WebP, "jpeg" or "jpg" => ImageFormat.Jpeg, _ => ImageFormat.Png };
        if (parsedSizes.Count == 0)
        {
            parsedSizes.Add(null);
        }
        var jobs = parsedSizes.Select(size => new JobConfig
        {
            Name = size is null ? "render" : $"render-{size}",
            Template = template,
            Size = size,
            InlineItems = [],
            Output = parsedSizes.Count > 1 ? $"{{{{slug}}}}-{size}" : "{{slug}}",
            Variants = [new VariantConfig { Format = imageFormat, Width = width, Quality = quality }],
        }).ToList();
        return new BuildConfig
        {
            ConfigFile = Path.Combine(console.WorkingDirectory, ConfigLoader.DefaultFileName),
            OutputDirectory = outDir,
            AssetRoots = assets,
            FontFolders = fonts,
            Jobs = jobs,
        };
    }

    /// <summary>Items from stdin or a file: a JSON object is one item, an array several; other formats through the data loaders.</summary>
    private static List<DataItem> LoadItems(ToolConsole console, string data, string baseDirectory)
    {
        if (data != "-")
        {
            var file = console.Full(data);
            return WithSlugs([.. file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && File.Exists(file)
                ? DataLoader.ReadJson(file, File.ReadAllText(file))
                : DataLoader.Load(file, baseDirectory)]);
        }
        return WithSlugs([.. DataLoader.ReadJson("<stdin>", console.In.ReadToEnd())]);
    }

    /// <summary>Items are named by their slug; one without gets its position, so output patterns over slug still work.</summary>
    private static List<DataItem> WithSlugs(List<DataItem> items) => items.Select((item, i) =>
    {
        if (item.Fields.TryGetValue("slug", out var s) && s is string { Length: > 0 } slug)
        {
            return item with { Id = slug };
        }
        var fields = new Dictionary<string, object?>(item.Fields, StringComparer.Ordinal) { ["slug"] = $"item-{i + 1}" };
        return item with { Id = $"item-{i + 1}", Fields = fields };
    }).ToList();

}
