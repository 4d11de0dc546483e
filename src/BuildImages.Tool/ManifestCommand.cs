using System.CommandLine;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;

namespace BuildImages.Tool;

/// <summary><c>manifest export</c>: the manifest written in the other format (a database as JSON to read or diff, a document as a database).</summary>
internal static class ManifestCommand
{
    internal static Command Create(ToolConsole console)
    {
        var target = new Argument<string>("FILE") { Description = "the file to write: the JSON document, or a database when named .db, .sqlite or .sqlite3" };
        var output = new Option<string?>("--out") { Description = "the output folder whose manifest to read, instead of the configuration's outputDir" };
        var export = new Command("export",
            """
            Write the manifest as a JSON document (or, named .db, as a database): a database manifest read or diffed
            as JSON, or a site's JSON manifest turned into a database. Records that cannot be trusted are left out with
            a warning, as a build would drop them. Exit codes: 0 written, 1 it could not be written, 2 usage error.

            Example:
              dotnet build-images manifest export manifest.json --config site/buildimages.json
            """)
        {
            target,
            BuildCommand.Config,
            output,
        };
        export.SetAction(parsed =>
        {
            var config = ConfigLoader.Load(console.Full(parsed.GetValue(BuildCommand.Config)!), parsed.GetValue(output) is { } o ? console.Full(o) : null);
            var file = console.Full(parsed.GetValue(target)!);
            try
            {
                var (records, warnings) = ManifestExport.Write(config.ManifestFile, file);
                foreach (var warning in warnings)
                {
                    console.Error.WriteLine(warning);
                }
                console.Out.WriteLine($"wrote {records} records of {config.ManifestFile} to {file}");
                return ExitCodes.Success;
            }
            catch (ArgumentException ex)
            {
                throw ToolErrors.Usage(ex.Message.Split(" (Parameter")[0], file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                console.Error.WriteLine(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.WriteFailed, $"the export could not be written: {ex.Message}", file));
                return ExitCodes.ItemsFailed;
            }
        });
        return new Command("manifest", "Work with the manifest (the record of what every output was made from).") { export };
    }
}
