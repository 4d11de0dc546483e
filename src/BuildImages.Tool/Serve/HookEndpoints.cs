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
        HookMessage message;
        try
        {
            message = HookPayload.Read(found.Name, request.Body, config.Hooks.GetValueOrDefault(found.Name) ?? HookMapping.None, Headers(context.Request));
        }
        catch (BuildInputException ex)
        {
            return HookProblems.Located(StatusCodes.Status400BadRequest, ex.Diagnostic, config.BaseDirectory);
        }
        switch (message.Action)
        {
            case HookAction.Ignore:
                // Answered 200: a CMS retries (and in time disables) a webhook that fails.
                return TypedResults.Json(new { job = found.Name, @event = message.Event, status = "ignored" }, Json);
            case HookAction.Unpublish:
                return await Unpublish(context, request, found.Name, [.. message.Items.Select(i => i.Id).Distinct(StringComparer.Ordinal)], message.Event).ConfigureAwait(false);
        }
        var items = message.Items;
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
        var status = results.Any(r => r.Status == HookItemStatus.Failed) ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK;
        return TypedResults.Json(new { job = found.Name, items = results.Select(Describe) }, Json, statusCode: status);
    }

    internal async Task<IResult> Unpublish(HttpContext context)
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
        return await Unpublish(context, request, found.Name, [request.Target.Id!], null).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the items' outputs, records and images.json entries. A DELETE names one item and is 404 when the job has
    /// nothing of it; a CMS's unpublish event (a POST) is 200 either way, with what was removed: an entry unpublished
    /// before it was ever rendered is not the CMS's error, and a CMS retries what fails.
    /// </summary>
    private async Task<IResult> Unpublish(HttpContext context, HookRequest request, string job, IReadOnlyList<string> ids, string? eventName)
    {
        var delete = HttpMethods.IsDelete(context.Request.Method);
        if (!delete && request.Signature is { } signature && !options.Auth.FirstUnpublish(signature))
        {
            return HookProblems.Of(StatusCodes.Status401Unauthorized, DiagnosticCodes.Usage, "this signed unpublish was already accepted once (a replay); sign each request anew");
        }
        if (request.SignedAt is { } signedAt)
        {
            // Before the removal is queued: a copy of an older publish arriving meanwhile must not be ordered after it.
            foreach (var id in ids)
            {
                options.Auth.Unpublished.Record(job, id, signedAt);
            }
        }
        BuildReport report;
        try
        {
            report = await queue.RemoveAsync(job, ids, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return HookProblems.Of(StatusCodes.Status503ServiceUnavailable, DiagnosticCodes.Usage, "the server is shutting down");
        }
        var pruned = report.Outputs.Where(o => o.Status == OutputStatus.Pruned).Select(o => o.Path).ToList();
        if (delete)
        {
            return report.Unpublished is 0 or null
                ? HookProblems.Of(StatusCodes.Status404NotFound, DiagnosticCodes.Usage, $"job '{job}' has no outputs for '{ids[0]}'")
                : TypedResults.Json(new { job, id = ids[0], pruned }, Json);
        }
        return TypedResults.Json(new { job, @event = eventName, status = "unpublished", ids, removed = report.Unpublished ?? 0, pruned }, Json);
    }

    /// <summary>
    /// <c>GET /cards/{path}</c>: a recorded output by its path in the output folder (what images.json and a hook's answer
    /// name). The older <c>/cards/{job}/{path}</c> is still served: a first segment that is a cards job, followed by one
    /// of that job's outputs. An output of a job with <c>onDemand</c> that is not rendered yet is rendered first.
    /// </summary>
    internal async Task<IResult> Card(HttpContext context, string path)
    {
        // The read token, if any, was checked by ReadFilter.
        if (Config(context) is not { } config)
        {
            return Broken(context);
        }
        // Each reading of the path: (job, output path); the job-qualified one first, as it was the only form before.
        var readings = new List<(string? Job, string Path)>(2);
        if (path.Split('/', 2) is [var first, { Length: > 0 } rest] && CardsJob(config, first) is { } named)
        {
            readings.Add((named.Name, rest));
        }
        readings.Add((null, path));
        var (output, badPath) = Find(config, readings);
        if (output is null && !badPath)
        {
            var (rendered, answer) = await RenderOnDemand(context, config, readings).ConfigureAwait(false);
            if (answer is not null)
            {
                return answer;
            }
            output = rendered;
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

    private (ServedOutput? Output, bool BadPath) Find(BuildConfig config, IReadOnlyList<(string? Job, string Path)> readings)
    {
        (ServedOutput? Output, bool BadPath) found = (null, false);
        foreach (var (job, path) in readings)
        {
            found = Lookup(config).Find(job, path);
            if (found.Output is not null)
            {
                break;
            }
        }
        return found;
    }

    /// <summary>A card of an onDemand job's own data that nobody rendered yet, rendered now (coalesced with every other GET of it); or the answer to give instead.</summary>
    private async Task<(ServedOutput? Output, IResult? Answer)> RenderOnDemand(HttpContext context, BuildConfig config, IReadOnlyList<(string? Job, string Path)> readings)
    {
        foreach (var (job, path) in readings)
        {
            var jobs = job is null ? config.Jobs.Where(j => j.Photos is null && config.Hooks.GetValueOrDefault(j.Name)?.OnDemand == true).Select(j => j.Name) : [job];
            foreach (var candidate in jobs)
            {
                if (OnDemandItem(config, candidate, path, out var planError) is { } item)
                {
                    var (results, notRendered) = await Render(context, candidate, [item]).ConfigureAwait(false);
                    if (results is null)
                    {
                        return (null, notRendered);
                    }
                    if (results[0].Status == HookItemStatus.Failed)
                    {
                        var error = results[0].Errors.FirstOrDefault();
                        var diagnostic = new Diagnostic(DiagnosticSeverity.Error, error?.Code ?? DiagnosticCodes.RenderFailed, error?.Message ?? "the card could not be rendered", error?.File, error?.Line ?? 0, error?.Column ?? 0);
                        return (null, Answer(context, StatusCodes.Status422UnprocessableEntity, diagnostic, config.BaseDirectory));
                    }
                    return (Lookup(config).Find(candidate, path).Output, null);
                }
                if (planError is not null)
                {
                    return (null, Answer(context, StatusCodes.Status500InternalServerError, planError, config.BaseDirectory));
                }
            }
        }
        return (null, null);
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
        catch (BuildInputException ex)
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
        catch (BuildInputException ex)
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

    private static object Describe(HookItemResult r) => new
    {
        id = r.Id,
        status = r.Status,
        coalesced = r.Coalesced,
        files = r.Files.Select(f => new
        {
            path = f.Path, status = f.Status, url = f.Url, card = f.File is { } file ? CardPath(file) : null,
            width = f.Width, height = f.Height, type = f.Format, bytes = f.Bytes, key = f.Key,
        }),
        errors = r.Errors.Select(e => new { code = e.Code, message = e.Message, line = e.Line, column = e.Column }),
    };

    /// <summary>The server's URL of a written file: <c>/cards/</c> and its path in the output folder, as images.json names it.</summary>
    internal static string CardPath(string file) => "/cards/" + string.Join('/', file.Split('/').Select(Uri.EscapeDataString));

    /// <summary>One header's value, or null: what <see cref="HookAuth"/> asks of a request.</summary>
    internal static Func<string, string?> Headers(HttpRequest request) =>
        name => request.Headers.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;
}
