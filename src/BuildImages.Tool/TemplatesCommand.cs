using System.CommandLine;
using BuildImages.Core.Configuration;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;

namespace BuildImages.Tool;

/// <summary><c>templates</c>: the built-in templates (and the configuration's own) with their sizes and fields.</summary>
internal static class TemplatesCommand
{
    internal static Command Create(ToolConsole console)
    {
        var command = new Command("templates",
            """
            List templates: the built-in ones and those in the configuration's template folders, with sizes and fields.

            Example:
              dotnet build-images templates
            """)
        {
            BuildCommand.Config,
        };
        command.SetAction(parsed =>
        {
            var roots = new List<string>();
            var configFile = console.Full(parsed.GetValue(BuildCommand.Config)!);
            if (File.Exists(configFile))
            {
                roots.AddRange(ConfigLoader.Load(configFile).TemplateRoots);
            }
            if (EngineOptions.BuiltInTemplateFolder() is { } builtIn)
            {
                roots.Add(builtIn);
            }
            foreach (var template in new TemplateCatalog(roots).List())
            {
                Print(console.Out, template);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(TextWriter o, TemplateDefinition t)
    {
        o.WriteLine($"{t.Name}  ({string.Join(", ", t.Sizes.Select(s => s.ToString()))})");
        if (t.Description.Length > 0)
        {
            o.WriteLine($"  {t.Description}");
        }
        foreach (var f in t.Fields)
        {
            o.WriteLine($"  {f.Name,-12} {(f.Required ? "required" : "optional"),-9} {f.Description}");
        }
        o.WriteLine();
    }
}
