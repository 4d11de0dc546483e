using System.Diagnostics;
using System.Net;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Rendering;
using BuildImages.Core.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using BuildImages.Core.Configuration;

namespace BuildImages.Tool.Serve;

/// <summary>
/// The hook server: Kestrel with the hook, card, health and metrics routes, one engine and one render pool for the
/// process. It listens exactly on the addresses <see cref="ListenAddress"/> checked. Stopping it stops taking requests,
/// lets the render pool finish the batch it holds (the manifest is saved as after any build), then frees the engine.
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

    /// <summary>Bytes read ahead of the application per connection, in the transport and in Kestrel.</summary>
    private const int ReadAhead = 64 * 1024;

    internal ServerMetrics Metrics { get; }

    /// <summary>The addresses Kestrel listens on (with the real port when port 0 was asked for).</summary>
    internal IReadOnlyList<string> Addresses => [.. _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses];

    internal static async Task<HookServer> StartAsync(ServeOptions options)
    {
        var addresses = options.Urls.Select(u => ListenAddress.Parse(u, options.AllowRemote)).ToList();
        if (addresses.Any(a => a.Remote) && !options.Auth.Configured)
        {
            throw ToolErrors.Usage($"--urls '{addresses.First(a => a.Remote).Url}' is reachable from other machines, so hooks need a secret: set BUILDIMAGES_HOOK_SECRET or BUILDIMAGES_HOOK_TOKEN");
        }
        if (!options.Auth.Configured && !options.NoAuth)
        {
            throw ToolErrors.Usage("hooks need a secret: set BUILDIMAGES_HOOK_SECRET (HMAC-SHA256 signatures) or BUILDIMAGES_HOOK_TOKEN (bearer token), or pass --secret-file/--token-file; --no-auth allows unsigned hooks on loopback only");
        }
        var source = new ConfigSource(options.ConfigFile);
        var config = source.Current();
        var engine = new CardEngine(config.EngineOptions(config.Strict));
        var metrics = new ServerMetrics();
        var queue = new HookQueue(source.Current, engine, new HookQueueOptions { Capacity = options.Capacity, Workers = options.Workers, RemoteCache = options.RemoteCache ?? RemoteCacheFor(config, options.RequestTimeout) }, metrics);
        metrics.QueueDepth = () => queue.Depth;
        metrics.InFlight = () => queue.InFlight;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSockets(sockets => sockets.MaxReadBufferSize = ReadAhead);
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxBody;
            k.Limits.MaxConcurrentConnections = options.MaxConnections;
            // What Kestrel buffers per connection ahead of the reader (1 MiB by default, and as much again in the socket
            // transport, below): 150 strangers' unread bodies held 220 MB. With 64 KiB the rest waits in the kernel (TCP
            // flow control), and bodies are read only into the budget.
            k.Limits.MaxRequestBufferSize = ReadAhead;
            k.Limits.MaxConcurrentUpgradedConnections = 0;
            foreach (var address in addresses)
            {
                Action<ListenOptions> scheme = address.Https ? l => l.UseHttps() : _ => { };
                if (address.Localhost && address.Port == 0)
                {
                    // Kestrel cannot give localhost's two addresses one free port: IPv4 loopback alone.
                    k.Listen(IPAddress.Loopback, 0, scheme);
                }
                else if (address.Localhost)
                {
                    k.ListenLocalhost(address.Port, scheme);
                }
                else if (address.Address is null)
                {
                    k.ListenAnyIP(address.Port, scheme);
                }
                else
                {
                    k.Listen(address.Address, address.Port, scheme);
                }
            }
        });
        var app = builder.Build();
        var endpoints = new HookEndpoints(source, queue, options);
        app.Use(async (context, next) =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                metrics.Request(context.GetEndpoint()?.DisplayName ?? "unmatched", context.Response.StatusCode, clock.Elapsed);
            }
        });
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = context => Failed(context, endpoints, source, options), SuppressDiagnosticsCallback = _ => true });
        var filter = new HookFilter(options.Auth, source, new RequestBodyBudget(options.MaxBody), options.MaxBody, options.Log);
        var hooks = app.MapGroup("/hooks").AddEndpointFilter(filter);
        hooks.MapPost("/{job}", (Delegate)endpoints.Publish).WithDisplayName("hooks");
        // The id is the rest of the path: a slug may hold '/' (HookTarget decodes it segment by segment).
        hooks.MapDelete("/{job}/{**id}", (Delegate)endpoints.Unpublish).WithDisplayName("unpublish");
        // HEAD too: a CDN or crawler checks a card's ETag and size without its bytes (Kestrel sends no body for HEAD).
        var reads = new ReadFilter(options.Auth);
        app.MapMethods("/cards/{**path}", ["GET", "HEAD"], endpoints.Card).AddEndpointFilter(reads).WithDisplayName("cards");
        app.MapGet("/healthz", () => TypedResults.Json(new { status = "ok", queue = queue.Depth })).WithDisplayName("healthz");
        app.MapGet("/metrics", () => TypedResults.Text(metrics.Text(), "text/plain; version=0.0.4; charset=utf-8")).AddEndpointFilter(reads).WithDisplayName("metrics");
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // Another process has the port, the address is not this machine's, or https has no certificate: the user's to fix.
            await queue.DisposeAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            engine.Dispose();
            throw ToolErrors.Usage($"cannot listen on {string.Join(", ", options.Urls)}: {ex.Message}");
        }
        return new HookServer(app, queue, engine, metrics);
    }

    /// <summary>
    /// The remote cache replicas share: BUILDIMAGES_CACHE_URL (else the configuration's "cache") with the credentials
    /// from the environment, and the Redis render lock when BUILDIMAGES_CACHE_LOCK_REDIS names one. Read at start. A
    /// replica waits for another's render of an output at most half the request timeout, then draws it itself.
    /// </summary>
    private static Core.Caching.RemoteCacheOptions? RemoteCacheFor(BuildConfig config, TimeSpan requestTimeout)
    {
        try
        {
            var cache = Core.Caching.RemoteCacheOptions.FromEnvironment(Environment.GetEnvironmentVariable, readOnly: config.CacheReadOnly, configured: config.CacheUrl);
            var redis = Environment.GetEnvironmentVariable("BUILDIMAGES_CACHE_LOCK_REDIS");
            if (string.IsNullOrWhiteSpace(redis))
            {
                return cache;
            }
            return cache is null
                ? throw new ArgumentException($"BUILDIMAGES_CACHE_LOCK_REDIS needs a remote cache ({Core.Caching.RemoteCacheOptions.UrlVariable} or \"cache\" in the configuration): the replica that waits takes the output from it")
                : cache with { RenderLock = RedisRenderLock.Connect(redis, maxWait: requestTimeout / 2) };
        }
        catch (ArgumentException ex)
        {
            throw ToolErrors.Usage(ex.Message);
        }
    }

    /// <summary>
    /// An exception no route answered. A request that could not be read (a malformed chunk, a body past Kestrel's
    /// limit) is the client's; a configuration that stopped loading is answered like the routes answer it; anything
    /// else is a bug in BuildImages: logged whole, answered BI0009 without detail.
    /// </summary>
    private static Task Failed(HttpContext context, HookEndpoints endpoints, ConfigSource source, ServeOptions options)
    {
        var ex = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = ex switch
        {
            Microsoft.AspNetCore.Http.BadHttpRequestException bad => HookProblems.Of(bad.StatusCode, DiagnosticCodes.Usage, "the request could not be read"),
            BuildInputException card => endpoints.Answer(context, StatusCodes.Status500InternalServerError, card.Diagnostic, Path.GetDirectoryName(source.File)!),
            _ => Internal(ex, options),
        };
        return result.ExecuteAsync(context);
    }

    private static IResult Internal(Exception? ex, ServeOptions options)
    {
        var diagnostic = new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InternalError, InternalError.Describe(ex ?? new InvalidOperationException("unknown"), "answering a request"));
        options.Log(diagnostic.ToString());
        return HookProblems.Of(StatusCodes.Status500InternalServerError, DiagnosticCodes.InternalError, "an internal error in BuildImages; the server's log has its details");
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
}
