using System.CommandLine;
using BuildImages.Core.Native;

namespace BuildImages.Tool.Serve;

/// <summary>
/// <c>serve</c>: the hook server. Secrets come from BUILDIMAGES_HOOK_SECRET (HMAC-SHA256 signatures),
/// BUILDIMAGES_HOOK_TOKEN (bearer) and BUILDIMAGES_READ_TOKEN (token-protected reads), or from files.
/// </summary>
internal static class ServeCommand
{
    internal static Command Create(ToolConsole console)
    {
        var urls = new Option<string[]>("--urls") { Description = "where to listen (default http://127.0.0.1:5080); other than loopback needs --allow-remote", AllowMultipleArgumentsPerToken = true };
        var secretFile = new Option<string?>("--secret-file") { Description = "the HMAC secret, from a file (else BUILDIMAGES_HOOK_SECRET)" };
        var tokenFile = new Option<string?>("--token-file") { Description = "the bearer token for hooks, from a file (else BUILDIMAGES_HOOK_TOKEN)" };
        var readTokenFile = new Option<string?>("--read-token-file") { Description = "make GET /cards and /metrics need this bearer token (else BUILDIMAGES_READ_TOKEN; none: public)" };
        var noAuth = new Option<bool>("--no-auth") { Description = "accept unsigned hooks (loopback only, to try it out)" };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "listen on addresses other machines can reach" };
        var maxBody = new Option<long>("--max-body") { Description = "largest hook body in bytes (default 1 MiB)", DefaultValueFactory = _ => 1 << 20 };
        var queue = new Option<int>("--queue") { Description = "items that may wait for a render before hooks are answered 429 (default 1000)", DefaultValueFactory = _ => 1000 };
        var timeout = new Option<double>("--timeout") { Description = "seconds a hook waits for its render before 504 (default 60; the render goes on)", DefaultValueFactory = _ => 60 };
        var workers = new Option<int>("--workers") { Description = "render threads (default: one per core)" };
        var maxConnections = new Option<int>("--max-connections") { Description = "connections held at once (default 256)", DefaultValueFactory = _ => 256 };
        var replayWindow = new Option<double>("--replay-window") { Description = "seconds a signature's timestamp may be from the server's clock (default 300)", DefaultValueFactory = _ => 300 };
        var command = new Command("serve",
            """
            Serve publish hooks and rendered cards over HTTP, from the same configuration, manifest and bytes as a build.

              POST   /hooks/{job}            one item or an array (JSON); renders what changed, answers the files
              DELETE /hooks/{job}/{id}       unpublishes an item: its outputs are pruned
              GET    /cards/{path}           a rendered output (its path in the output folder), with its key as ETag
              GET    /healthz, GET /metrics  health, and Prometheus metrics

            A signed request carries X-BuildImages-Timestamp (Unix seconds) and X-BuildImages-Signature: v1=HEX,
            the HMAC-SHA256 of "TIMESTAMP\nMETHOD\n/hooks/JOB[/ID]\n" followed by the body.

            Examples:
              BUILDIMAGES_HOOK_SECRET=... dotnet build-images serve
              BUILDIMAGES_HOOK_TOKEN=... dotnet build-images serve --config site/buildimages.json --urls http://127.0.0.1:8080
            """)
        {
            BuildCommand.Config, urls, secretFile, tokenFile, readTokenFile, noAuth, allowRemote, maxBody, queue, timeout, workers, maxConnections, replayWindow,
        };
        command.SetAction(async (parsed, cancellation) =>
        {
            NativeStack.EnsureLoaded();
            var options = new ServeOptions
            {
                ConfigFile = console.Full(parsed.GetValue(BuildCommand.Config)!),
                Urls = parsed.GetValue(urls) is { Length: > 0 } u ? u.SelectMany(x => x.Split(';', ',', StringSplitOptions.RemoveEmptyEntries)).ToList() : ["http://127.0.0.1:5080"],
                Auth = new HookAuth(
                    HookAuth.Load("BUILDIMAGES_HOOK_SECRET", Full(console, parsed.GetValue(secretFile))),
                    HookAuth.Load("BUILDIMAGES_HOOK_TOKEN", Full(console, parsed.GetValue(tokenFile))),
                    HookAuth.Load("BUILDIMAGES_READ_TOKEN", Full(console, parsed.GetValue(readTokenFile))),
                    TimeSpan.FromSeconds(Math.Clamp(parsed.GetValue(replayWindow), 1, 86400))),
                NoAuth = parsed.GetValue(noAuth),
                AllowRemote = parsed.GetValue(allowRemote),
                MaxBody = Math.Max(1, parsed.GetValue(maxBody)),
                Capacity = Math.Max(1, parsed.GetValue(queue)),
                RequestTimeout = TimeSpan.FromSeconds(Math.Max(0.1, parsed.GetValue(timeout))),
                Workers = Math.Max(0, parsed.GetValue(workers)),
                MaxConnections = Math.Max(1, parsed.GetValue(maxConnections)),
                Log = line => console.Error.WriteLine(line),
            };
            await using var server = await HookServer.StartAsync(options).ConfigureAwait(false);
            console.Error.WriteLine($"buildimages: serving {options.ConfigFile} on {string.Join(", ", server.Addresses)}");
            await server.WaitForShutdownAsync(cancellation).ConfigureAwait(false);
            console.Error.WriteLine("buildimages: stopping; finishing the batch in flight");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? Full(ToolConsole console, string? file) => file is null ? null : console.Full(file);
}
