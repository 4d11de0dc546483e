using BuildImages.Tool;

// A photo sandbox process (started by a build, see PhotoSandbox): the protocol on stdin and stdout, nothing else.
if (args is [BuildCommand.PhotoSandboxCommand])
{
    return BuildImages.Core.Imaging.PhotoSandbox.Serve(Console.OpenStandardInput(), Console.OpenStandardOutput());
}
return Cli.Run(args, ToolConsole.System());
