using BuildImages.Core.Diagnostics;
using Microsoft.Build.Framework;

namespace BuildImages.Tasks;

/// <summary>
/// Reads back the list of files an earlier render wrote (kept in obj/ so a skipped render still publishes them and
/// <c>dotnet clean</c> finds them) and keeps only the files a build of this configuration could have written (see
/// <see cref="Core.Output.WrittenFiles"/>), each with its publish path worked out again, never read from the list. The
/// list may come from a CI cache or a hand edit: a line naming anything else is dropped with a warning.
/// </summary>
public sealed class ListSocialImages : ConfigTask
{
    /// <summary>The list: one full path per line.</summary>
    [Required]
    public string ListFile { get; set; } = string.Empty;

    /// <summary>
    /// When the build's evaluation began (UTC ticks): a list written before it means the render was skipped, and this
    /// task says so in the one line a build shows at default verbosity (the render says its own when it runs).
    /// </summary>
    public string? EvaluatedAt { get; set; }

    /// <summary>The files, with PublishRelativePath.</summary>
    [Output]
    public ITaskItem[] Files { get; private set; } = [];

    public override bool Execute()
    {
        if (!File.Exists(ListFile))
        {
            return true;
        }
        try
        {
            var setup = Setup(manifestFile: null);
            var config = setup.Load();
            var files = new List<ITaskItem>();
            var lines = File.ReadAllLines(ListFile);
            for (var i = 0; i < lines.Length; i++)
            {
                var file = lines[i].Split('|')[0];
                if (file.Length == 0)
                {
                    continue;
                }
                if (Core.Output.WrittenFiles.Problem(config, file) is { } problem)
                {
                    Log.LogWarning(null, DiagnosticCodes.ManifestUnreadable, null, ListFile, i + 1, 0, 0, 0, $"BuildImages: {Printable.Of(problem)}; not a file a render of this project writes, so it is neither published nor cleaned");
                    continue;
                }
                if (File.Exists(file))
                {
                    files.Add(setup.Written(config, file));
                }
            }
            Files = [.. files];
            if (long.TryParse(EvaluatedAt, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var evaluated) && File.GetLastWriteTimeUtc(ListFile).Ticks < evaluated)
            {
                Log.LogMessage(MessageImportance.High, $"BuildImages: {files.Count(f => f.ItemSpec != config.MetadataFile)} files, all current (no input changed since the last render)");
            }
        }
        catch (BuildInputException)
        {
            // A configuration that no longer loads trusts nothing from the list; the render target reports the error itself.
            Files = [];
        }
        return !Log.HasLoggedErrors;
    }
}
