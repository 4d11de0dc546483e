using System.Text.Json;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace BuildImages.Tool.Serve;

/// <summary>
/// The hook and card routes. A hook has passed <see cref="HookFilter"/> (target, authentication, body); then it is
/// checked in this order, and fails at the first problem with nothing written: job (404), payload (400, with line and
/// column), size of the batch (413), queue room (429 with Retry-After); then it waits for its render up to the time
/// limit (504, the render goes on).
/// </summary>
internal sealed class HookEndpoints(ConfigSource source, HookQueue queue, ServeOptions options)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    internal async Task<IResult> Publish(HttpContext context)
    {
        var request = context.Features.GetRequiredFeature<HookRequest>();
        if (Config(context) is not { } config)
        {
            return Broken(context);
        }
        if (CardsJob(config, request.Target.Job) is not { } found)
        {
            return HookProblems.Of(StatusCodes.Status404NotFound, DiagnosticCodes.ConfigValue, $"there is no cards job '{request.Target.Job}'");
        }
        IReadOnlyList<DataItem> items;
        try
        {
            items = HookPayload.Parse(found.Name, request.Body, config.Hooks.GetValueOrDefault(found.Name) ?? HookMapping.None);
        }
        catch (CardException ex)
        {
            return HookProblems.Located(StatusCodes.Status400BadRequest, ex.Diagnostic, config.BaseDirectory);
        }
        if (items.Count == 0)
        {
            return HookProblems.Of(StatusCodes.Status400BadRequest, DiagnosticCodes.DataSyntax, "the body holds no items");
        }
        if (request.SignedAt is { } signedAt && items.FirstOrDefault(i => options.Auth.Unpublished.After(found.Name, i.Id, signedAt) is not null) is { } stale)
        {
            return HookProblems.Of(StatusCodes.Status409Conflict, DiagnosticCodes.Usage, $"item '{stale.Id}' was unpublished after this request was signed; a publish must be signed after the unpublish it follows");
        }
        if (items.Select(i => i.Id).Distinct(StringComparer.Ordinal).Count() > options.Capacity)
        {
            // Never room for it, however long the client waits: not a 429.
            return HookProblems.Of(StatusCodes.Status413PayloadTooLarge, DiagnosticCodes.Usage, $"the body holds {items.Count} items; this server takes at most {options.Capacity} at once (--queue): send them in smaller batches");
        }
        var (results, refused) = await Render(context, found.Name, items).ConfigureAwait(false);
        if (results is null)
        {
            return refused!;
        }
        var status = results.Any(r => r.Status == "failed") ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK;
        return TypedResults.Json(new { job = found.Name, items = results.Select(r => Describe(config, found.Name, r)) }, Json, statusCode: status);
    }

    internal async Task<IResult> Unpublish(HttpContext context)
    {
        var request = context.Features.GetRequiredFeature<HookRequest>();
        var id = request.Target.Id!;
        if (Config(context) is not { } config)
        {
            return Broken(context);
        }
        if (CardsJob(config, request.Target.Job) is not { } found)
        {
            return HookProblems.Of(StatusCodes.Status404NotFound, DiagnosticCodes.ConfigValue, $"there is no cards job '{request.Target.Job}'");
        }
        if (request.SignedAt is { } signedAt)
        {
            // Before the removal is queued: a copy of an older publish arriving meanwhile must not be ordered after it.
            options.Auth.Unpublished.Record(found.Name, id, signedAt);
        }
        BuildReport report;
        try
        {
            report = await queue.RemoveAsync(found.Name, [id], context.RequestAborted).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return HookProblems.Of(StatusCodes.Status503ServiceUnavailable, DiagnosticCodes.Usage, "the server is shutting down");
        }
        if (report.Unpublished is 0 or null)
        {
            return HookProblems.Of(StatusCodes.Status404NotFound, DiagnosticCodes.Usage, $"job '{found.Name}' has no outputs for '{id}'");
        }
        return TypedResults.Json(new { job = found.Name, id, pruned = report.Outputs.Where(o => o.Status == "pruned").Select(o => o.Path) }, Json);
    }

    internal async Task<IResult> Card(HttpContext context, string job, string path)
    {
        if (options.Auth.CheckRead(Headers(context.Request)) is { } refused)
        {
            return HookProblems.Of(StatusCodes.Status401Unauthorized, DiagnosticCodes.Usage, refused);
        }
        if (Config(context) is not { } config)
        {
            return Broken(context);
        }
        if (CardsJob(config, job) is null)
        {
            return HookProblems.Of(StatusCodes.Status404NotFound, DiagnosticCodes.Usage, "no such card");
        }
        var (output, badPath) = Lookup(config).Find(job, path);
        Diagnostic? planError = null;
        // A card of the job's own data that nobody rendered yet: rendered now, coalesced with every other GET of it.
        if (output is null && !badPath && OnDemandItem(config, job, path, out planError) is { } item)
        {
            var (results, notRendered) = await Render(context, job, [item]).ConfigureAwait(false);
            if (results is null)
            {
                return notRendered!;
            }
            if (results[0].Status == "failed")
            {
                var error = results[0].Errors.FirstOrDefault();
                var diagnostic = new Diagnostic(DiagnosticSeverity.Error, error?.Code ?? DiagnosticCodes.RenderFailed, error?.Message ?? "the card could not be rendered", error?.File, error?.Line ?? 0, error?.Column ?? 0);
                return Answer(context, StatusCodes.Status422UnprocessableEntity, diagnostic, config.BaseDirectory);
            }
            (output, badPath) = Lookup(config).Find(job, path);
        }
        else if (planError is not null)
        {
            return Answer(context, StatusCodes.Status500InternalServerError, planError, config.BaseDirectory);
        }
        if (output is null)
        {
            return badPath
                ? HookProblems.Of(StatusCodes.Status400BadRequest, DiagnosticCodes.Usage, "the path is not an output path (no '..', no backslash, no absolute path)")
                : HookProblems.Of(StatusCodes.Status404NotFound, DiagnosticCodes.Usage, "no such card");
        }
        var etag = $"\"{output.Key}\"";
        context.Response.Headers.ETag = etag;
        // A URL that names the content (hash in the file name, or ?v= of its hash) never changes its bytes.
        var hashed = config.CacheBust == CacheBust.FileName || (context.Request.Query["v"] is { Count: 1 } v && output.Sha256.StartsWith(v[0]!, StringComparison.Ordinal) && v[0]!.Length >= 8);
        context.Response.Headers.CacheControl = hashed ? "public, max-age=31536000, immutable" : "public, no-cache";
        if (context.Request.Headers.IfNoneMatch.Contains(etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.PhysicalFile(output.FullPath, output.Mime, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue(etag));
    }

    /// <summary>Whether the caller proved a secret: a hook that passed the filter, or a read with the read token. Only they learn where a problem is.</summary>
    internal bool Known(HttpContext context) =>
        context.Features.Get<HookRequest>() is not null || (options.Auth.ReadsProtected && options.Auth.CheckRead(Headers(context.Request)) is null);

    /// <summary>A problem on the server's side or in a render: logged whole, answered located to a known caller and by code alone to anyone else.</summary>
    internal IResult Answer(HttpContext context, int status, Diagnostic diagnostic, string baseDirectory)
    {
        options.Log(diagnostic.ToString());
        return Known(context) ? HookProblems.Located(status, diagnostic, baseDirectory) : HookProblems.Unlocated(status, diagnostic);
    }

    /// <summary>The items' outcomes, or the 429, 503 or 504 to answer instead.</summary>
    private async Task<(HookItemResult[]? Results, IResult? Refused)> Render(HttpContext context, string job, IReadOnlyList<DataItem> items)
    {
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            limit.CancelAfter(options.RequestTimeout);
            return (await queue.SubmitAsync(job, items, limit.Token).ConfigureAwait(false), null);
        }
        catch (HookQueueFullException ex)
        {
            context.Response.Headers.RetryAfter = "1";
            return (null, HookProblems.Of(StatusCodes.Status429TooManyRequests, DiagnosticCodes.Usage, ex.Message));
        }
        catch (ObjectDisposedException)
        {
            context.Response.Headers.RetryAfter = "5";
            return (null, HookProblems.Of(StatusCodes.Status503ServiceUnavailable, DiagnosticCodes.Usage, "the server is shutting down"));
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            context.Response.Headers.RetryAfter = "5";
            return (null, HookProblems.Of(StatusCodes.Status504GatewayTimeout, DiagnosticCodes.Usage, $"the render did not finish within {options.RequestTimeout.TotalSeconds:0} s; it goes on, and a retry finds it"));
        }
    }

    // The configuration as it stands, or null once its located error is kept for the answer (an edit in progress).
    private BuildConfig? Config(HttpContext context)
    {
        try
        {
            return source.Current();
        }
        catch (CardException ex)
        {
            context.Features.Set(ex.Diagnostic);
            return null;
        }
    }

    private IResult Broken(HttpContext context) =>
        Answer(context, StatusCodes.Status500InternalServerError, context.Features.GetRequiredFeature<Diagnostic>(), Path.GetDirectoryName(source.File)!);

    private DataItem? OnDemandItem(BuildConfig config, string job, string path, out Diagnostic? error)
    {
        error = null;
        try
        {
            return OnDemand(config).ItemFor(job, path);
        }
        catch (CardException ex)
        {
            // The job's data file does not plan (a syntax error while it is being edited).
            error = ex.Diagnostic;
            return null;
        }
    }

    // One lookup (with its manifest index) and one on-demand planner per loaded configuration.
    private readonly PerConfig<OutputLookup> _lookups = new(c => new OutputLookup(c));
    private readonly PerConfig<OnDemandPlanner> _planners = new(c => new OnDemandPlanner(c));

    private OutputLookup Lookup(BuildConfig config) => _lookups.For(config);

    private OnDemandPlanner OnDemand(BuildConfig config) => _planners.For(config);

    private static JobConfig? CardsJob(BuildConfig config, string job) => config.Jobs.FirstOrDefault(j => j.Name == job && j.Photos is null);

    private static object Describe(BuildConfig config, string job, HookItemResult r) => new
    {
        id = r.Id,
        status = r.Status,
        coalesced = r.Coalesced,
        files = r.Files.Select(f => new
        {
            path = f.Path, status = f.Status, url = SiteUrl(config, f.Path), card = $"/cards/{Uri.EscapeDataString(job)}/{string.Join('/', f.Path.Split('/').Select(Uri.EscapeDataString))}",
            width = f.Width, height = f.Height, type = f.Format, bytes = f.Bytes, key = f.Key,
        }),
        errors = r.Errors.Select(e => new { code = e.Code, message = e.Message, line = e.Line, column = e.Column }),
    };

    private static string SiteUrl(BuildConfig config, string path)
    {
        var baseUrl = config.BaseUrl ?? "/";
        return (baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/") + string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
    }

    /// <summary>One header's value, or null: what <see cref="HookAuth"/> asks of a request.</summary>
    internal static Func<string, string?> Headers(HttpRequest request) =>
        name => request.Headers.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;
}
