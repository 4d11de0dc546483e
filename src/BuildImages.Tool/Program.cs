using BuildImages.Tool;

return Cli.Run(args, ToolConsole.System());
