using System.CommandLine;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Native;

namespace BuildImages.Tool;

/// <summary>
/// The command line: <c>build</c> (the default), <c>render</c>, <c>init</c>, <c>preview</c>, <c>templates</c>. Parsing
/// and help come from System.CommandLine; usage errors exit 2 in the canonical error format.
/// </summary>
internal static class Cli
{
    internal static int Run(string[] args, ToolConsole console)
    {
        var build = BuildCommand.Create(console);
        var root = new RootCommand(
            """
            dotnet build-images: renders social cards and right-sized images once, at build time.

            Examples:
              dotnet build-images init --template blog-post
              dotnet build-images                          (build with ./buildimages.json)
              dotnet build-images --explain --report report.json
              echo '{"slug":"hello","title":"Hello"}' | dotnet build-images render --job blog --data -
            """);
        foreach (var option in build.Options)
        {
            root.Options.Add(option);
        }
        root.Action = build.Action;
        root.Subcommands.Add(build);
        root.Subcommands.Add(RenderCommand.Create(console));
        root.Subcommands.Add(InitCommand.Create(console));
        root.Subcommands.Add(PreviewCommand.Create(console));
        root.Subcommands.Add(TemplatesCommand.Create(console));
        root.Subcommands.Add(OptimizeCommand.Create(console));
        root.Subcommands.Add(ManifestCommand.Create(console));
        root.Subcommands.Add(Serve.ServeCommand.Create(console));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                console.Error.WriteLine(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.Usage, error.Message));
            }
            console.Error.WriteLine("Run 'dotnet build-images --help' (or '<command> --help') for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (BuildInputException ex)
        {
            console.Error.WriteLine(ex.Diagnostic);
            return ExitCodes.Usage;
        }
        catch (NativeDependencyException ex)
        {
            console.Error.WriteLine($"buildimages: error {DiagnosticCodes.NativeLibrariesMissing}: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception ex)
        {
            // Never a runtime abort with a stack trace (exit 134): one canonical line and a code of its own.
            console.Error.WriteLine(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InternalError, InternalError.Describe(ex, "running the command")));
            return ExitCodes.InternalError;
        }
    }
}
