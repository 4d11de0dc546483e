using System.CommandLine;
using System.Text.Json.Nodes;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Rendering;

namespace BuildImages.Tool;

/// <summary>
/// <c>init</c>: scaffolds buildimages.json, a copy of a built-in template to customise, and sample data with its
/// assets, so <c>dotnet build-images</c> works right after it.
/// </summary>
internal static class InitCommand
{
    internal static Command Create(ToolConsole console)
    {
        var template = new Option<string>("--template", "-t") { Description = "built-in template to start from (see 'templates')", DefaultValueFactory = _ => "blog-post" };
        var force = new Option<bool>("--force") { Description = "overwrite an existing buildimages.json and template copy" };
        var command = new Command("init",
            """
            Create buildimages.json, templates/<name>/ (a copy of a built-in template) and content/ (sample data), ready to build.

            Examples:
              dotnet build-images init
              dotnet build-images init --template product-card
            """)
        {
            template, force,
        };
        command.SetAction(parsed =>
        {
            var name = parsed.GetValue(template)!;
            var builtIn = EngineOptions.BuiltInTemplateFolder() ?? throw ToolErrors.Usage("the built-in templates are not installed beside the tool");
            var source = Path.Combine(builtIn, name);
            if (!File.Exists(Path.Combine(source, "card.sbn")) && !File.Exists(Path.Combine(source, "card.liquid")))
            {
                var known = Directory.EnumerateDirectories(builtIn).Select(Path.GetFileName).Where(n => !n!.StartsWith('_')).Order(StringComparer.Ordinal);
                throw ToolErrors.Usage($"no built-in template is named '{name}' (built-in: {string.Join(", ", known)})");
            }
            var configFile = console.Full(ConfigLoader.DefaultFileName);
            if (File.Exists(configFile) && !parsed.GetValue(force))
            {
                throw ToolErrors.Usage("buildimages.json already exists; pass --force to overwrite it", configFile);
            }
            var samples = Path.Combine(Path.GetDirectoryName(builtIn)!, "samples", name);
            var dataFile = Directory.Exists(samples) ? Directory.EnumerateFiles(samples, "*.json").Order(StringComparer.Ordinal).FirstOrDefault() : null;
            Copy(source, console.Full(Path.Combine("templates", name)));
            if (dataFile is not null)
            {
                Copy(samples, console.Full("content"));
            }
            var schema = Path.Combine(Path.GetDirectoryName(builtIn)!, "schemas", "buildimages.schema.json");
            if (File.Exists(schema))
            {
                File.Copy(schema, console.Full("buildimages.schema.json"), overwrite: true);
            }
            var config = new JsonObject
            {
                ["$schema"] = "./buildimages.schema.json",
                ["outputDir"] = "wwwroot",
                ["baseUrl"] = "https://example.com/",
                ["assets"] = new JsonArray("content/assets"),
                ["jobs"] = new JsonArray(new JsonObject
                {
                    ["name"] = name,
                    ["template"] = $"templates/{name}",
                    ["data"] = dataFile is null ? new JsonArray(new JsonObject { ["slug"] = "hello", ["title"] = "Hello, world" }) : $"content/{Path.GetFileName(dataFile)}",
                    ["output"] = "og/{{slug}}",
                    ["variants"] = new JsonArray(
                        new JsonObject { ["format"] = "webp", ["quality"] = 80 },
                        new JsonObject { ["format"] = "webp", ["width"] = 600 },
                        new JsonObject { ["format"] = "jpeg", ["quality"] = 82, ["maxBytes"] = 300000 }),
                }),
            };
            File.WriteAllText(configFile, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
            console.Out.WriteLine($"created buildimages.json, templates/{name}/{(dataFile is null ? string.Empty : " and content/")}");
            console.Out.WriteLine("next: dotnet build-images      (cards go to wwwroot/og/, metadata to wwwroot/images.json)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

}
