using System.Diagnostics;
using System.Net;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Rendering;
using BuildImages.Core.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BuildImages.Tool.Serve;

/// <summary>
/// The hook server: Kestrel with the hook, card, health and metrics routes, one engine and one render pool for the
/// process. Stopping it stops taking requests, lets the render pool finish the batch it holds (the manifest is
/// saved as after any build), then frees the engine.
/// </summary>
internal sealed class HookServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HookQueue _queue;
    private readonly CardEngine _engine;

    private HookServer(WebApplication app, HookQueue queue, CardEngine engine, ServerMetrics metrics)
    {
        _app = app;
        _queue = queue;
        _engine = engine;
        Metrics = metrics;
    }

    internal ServerMetrics Metrics { get; }

    /// <summary>The addresses Kestrel listens on (with the real port when port 0 was asked for).</summary>
    internal IReadOnlyList<string> Addresses => [.. _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses];

    internal static async Task<HookServer> StartAsync(ServeOptions options)
    {
        CheckExposure(options);
        var source = new ConfigSource(options.ConfigFile);
        var config = source.Current();
        var engine = new CardEngine(config.EngineOptions(config.Strict));
        var metrics = new ServerMetrics();
        var queue = new HookQueue(source.Current, engine, new HookQueueOptions { Capacity = options.Capacity, Workers = options.Workers }, metrics);
        metrics.QueueDepth = () => queue.Depth;
        metrics.InFlight = () => queue.InFlight;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxBody;
        });
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                // Never a stack trace or a file's content in a response: the code and a plain sentence.
                if (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    var (status, diagnostic) = ex switch
                    {
                        BadHttpRequestException bad => (bad.StatusCode, new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.Usage, "the request could not be read")),
                        // The server's own configuration no longer loads (an edit in progress): its located error, which a deployer needs.
                        CardException card => (StatusCodes.Status500InternalServerError, card.Diagnostic),
                        _ => (StatusCodes.Status500InternalServerError, new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InternalError, InternalError.Describe(ex, "answering this request"))),
                    };
                    await HookEndpoints.Problem(context, status, diagnostic.Code, diagnostic.ToString()).ConfigureAwait(false);
                }
            }
            finally
            {
                metrics.Request(context.GetEndpoint()?.DisplayName ?? "unmatched", context.Response.StatusCode, clock.Elapsed);
            }
        });
        var endpoints = new HookEndpoints(source, queue, options);
        app.MapPost("/hooks/{job}", endpoints.Publish).WithDisplayName("hooks");
        app.MapDelete("/hooks/{job}/{id}", endpoints.Unpublish).WithDisplayName("unpublish");
        // HEAD too: a CDN or crawler checks a card's ETag and size without its bytes (Kestrel sends no body for HEAD).
        app.MapMethods("/cards/{job}/{**path}", ["GET", "HEAD"], endpoints.Card).WithDisplayName("cards");
        app.MapGet("/healthz", () => Results.Json(new { status = "ok", queue = queue.Depth })).WithDisplayName("healthz");
        app.MapGet("/metrics", (HttpContext context) =>
        {
            if (options.Auth.CheckRead(HookEndpoints.Headers(context.Request)) is { } refused)
            {
                return HookEndpoints.Problem(context, StatusCodes.Status401Unauthorized, DiagnosticCodes.Usage, refused);
            }
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            return context.Response.WriteAsync(metrics.Text());
        }).WithDisplayName("metrics");
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // Another process has the port (or the address is not this machine's): the user's to fix, not a bug.
            await queue.DisposeAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            engine.Dispose();
            throw ToolErrors.Usage($"cannot listen on {string.Join(", ", options.Urls)}: {ex.Message}");
        }
        return new HookServer(app, queue, engine, metrics);
    }

    /// <summary>Waits until the host is told to stop (Ctrl-C, SIGTERM) or the token is cancelled.</summary>
    internal Task WaitForShutdownAsync(CancellationToken cancellation) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app, cancellation);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _queue.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _engine.Dispose();
    }

    /// <summary>Loopback unless asked; hooks without authentication only on loopback.</summary>
    private static void CheckExposure(ServeOptions options)
    {
        foreach (var url in options.Urls)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw ToolErrors.Usage($"--urls '{url}' is not an http(s) URL");
            }
            var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback && !options.AllowRemote)
            {
                throw ToolErrors.Usage($"--urls '{url}' is not a loopback address; pass --allow-remote to listen there (and put TLS in front)");
            }
            if (!loopback && !options.Auth.Configured)
            {
                throw ToolErrors.Usage($"--urls '{url}' is reachable from other machines, so hooks need a secret: set BUILDIMAGES_HOOK_SECRET or BUILDIMAGES_HOOK_TOKEN");
            }
        }
        if (!options.Auth.Configured && !options.NoAuth)
        {
            throw ToolErrors.Usage("hooks need a secret: set BUILDIMAGES_HOOK_SECRET (HMAC-SHA256 signatures) or BUILDIMAGES_HOOK_TOKEN (bearer token), or pass --secret-file/--token-file; --no-auth allows unsigned hooks on loopback only");
        }
    }
}
