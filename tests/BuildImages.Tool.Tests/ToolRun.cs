namespace BuildImages.Tool.Tests;

/// <summary>Runs the tool in-process in a temp folder with captured output.</summary>
public sealed class ToolRun : IDisposable
{
    public ToolRun() => Dir = Directory.CreateTempSubdirectory("bi-tool-").FullName;

    public string Dir { get; }

    public (int Exit, string Out, string Err) Run(string stdin, bool terminal, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = Cli.Run(args, new ToolConsole(output, error, new StringReader(stdin), terminal, Dir));
        return (exit, output.ToString(), error.ToString());
    }

    public (int Exit, string Out, string Err) Run(params string[] args) => Run(string.Empty, false, args);

    public string PathOf(string relative) => Path.Combine(Dir, relative);

    public static string RepoRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "BuildImages.sln")))
                {
                    return d.FullName;
                }
            }
            throw new InvalidOperationException("repository root not found");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
