using System.CommandLine;
using System.Text;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Encoders;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;

namespace BuildImages.Tool;

/// <summary>
/// <c>preview</c>: renders each job's first items to PNG and writes a contact sheet (index.html) showing every card
/// at its real size and as Facebook, X, LinkedIn and Slack would crop it. Touches neither outputs nor manifest.
/// </summary>
internal static class PreviewCommand
{
    internal static Command Create(ToolConsole console)
    {
        var all = new Option<bool>("--all") { Description = "every item, not just the first few of each job" };
        var count = new Option<int>("--count") { Description = "items per job (default 3)", DefaultValueFactory = _ => 3 };
        var output = new Option<string?>("--out") { Description = "preview folder (default: .buildimages/preview beside the configuration)" };
        var watch = new Option<bool>("--watch") { Description = "re-render when the configuration, data, templates, fonts or assets change (Ctrl-C stops)" };
        var command = new Command("preview",
            """
            Render a contact sheet of each job's first items, with social-network crop mock-ups.

            Examples:
              dotnet build-images preview
              dotnet build-images preview --all --watch
            """)
        {
            BuildCommand.Config, all, count, output, watch,
        };
        command.SetAction(parsed =>
        {
            var configFile = console.Full(parsed.GetValue(BuildCommand.Config)!);
            var config = ConfigLoader.Load(configFile);
            var folder = parsed.GetValue(output) is { } o ? console.Full(o) : Path.Combine(config.BaseDirectory, ".buildimages", "preview");
            var take = parsed.GetValue(all) ? int.MaxValue : Math.Max(1, parsed.GetValue(count));
            var failures = Render(console, config, folder, take, parsed.GetValue(watch));
            console.Out.WriteLine(Path.Combine(folder, "index.html"));
            if (!parsed.GetValue(watch))
            {
                return failures > 0 ? ExitCodes.ItemsFailed : ExitCodes.Success;
            }
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            var stamp = WatchedInputs.Stamp(config, folder);
            while (!stop.Token.WaitHandle.WaitOne(500))
            {
                var now = WatchedInputs.Stamp(config, folder);
                if (now == stamp)
                {
                    continue;
                }
                stamp = now;
                try
                {
                    config = ConfigLoader.Load(configFile);
                    Render(console, config, folder, take, watching: true);
                    console.Error.WriteLine($"preview updated {DateTime.Now:HH:mm:ss}");
                }
                catch (BuildInputException ex)
                {
                    console.Error.WriteLine(ex.Diagnostic);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The watcher outlives one bad edit: report it and wait for the next.
                    console.Error.WriteLine(new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InternalError, InternalError.Describe(ex, "updating the preview")));
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static int Render(ToolConsole console, BuildConfig config, string folder, int take, bool watching)
    {
        var workspace = new Workspace(config);
        var plan = BuildPlanner.Plan(config, workspace.Templates, workspace.Paths);
        using var engine = new CardEngine(config.EngineOptions());
        using var renderer = engine.CreateRenderer();
        var entries = new List<ContactSheet.Entry>();
        var failures = plan.Problems.Count;
        foreach (var problem in plan.Problems)
        {
            console.Error.WriteLine(problem);
        }
        // Photos jobs have nothing to preview: their outputs are the photos themselves.
        foreach (var card in plan.Items.OfType<PlannedCard>().GroupBy(c => c.Job.Name).SelectMany(g => g.Take(take)))
        {
            var file = $"{card.Job.Name}/{Slug.Make(card.Item.Id)}-{card.Size}.png";
            try
            {
                using var prepared = renderer.Prepare(card.Template, card.Item.Fields, card.Size, card.Name);
                var png = VariantEncoder.Encode(prepared.Draw(1), new EncodeOptions(ImageFormat.Png));
                AtomicFile.Write(Path.Combine(folder, file), png);
                entries.Add(new ContactSheet.Entry(card.Job.Name, card.Item.Id, file, card.Size.Width, card.Size.Height, card.Alt, null));
            }
            catch (BuildInputException ex)
            {
                failures++;
                console.Error.WriteLine(ex.Diagnostic);
                entries.Add(new ContactSheet.Entry(card.Job.Name, card.Item.Id, null, card.Size.Width, card.Size.Height, card.Alt, ex.Diagnostic.ToString()));
            }
        }
        var host = config.BaseUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "example.com";
        AtomicFile.Write(Path.Combine(folder, "index.html"), Encoding.UTF8.GetBytes(ContactSheet.Html(entries, host, watching)));
        return failures;
    }
}
