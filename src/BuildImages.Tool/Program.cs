using BuildImages.Tool;

return args.Length > 0 && args[0] is "render"
    ? RenderCommand.Run(args[1..], Console.Out, Console.Error)
    : Usage.Print(args, Console.Out, Console.Error);
