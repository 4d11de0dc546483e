using System.Globalization;
using System.Text.Json;
using BuildImages.Core.Build;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Serving;
using Microsoft.AspNetCore.Http;

namespace BuildImages.Tool.Serve;

/// <summary>
/// The hook and card routes. A hook is checked in this order, and fails at the first problem with nothing written:
/// body size (413), authentication (401), job (404), payload (400, with line and column), queue room (429 with
/// Retry-After); then it waits for its render up to the time limit (504, the render goes on).
/// </summary>
internal sealed class HookEndpoints(ConfigSource source, HookQueue queue, ServeOptions options)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    internal async Task Publish(HttpContext context, string job)
    {
        var body = await ReadBody(context).ConfigureAwait(false);
        if (body is null)
        {
            await Problem(context, StatusCodes.Status413PayloadTooLarge, DiagnosticCodes.Usage, $"the body is larger than {options.MaxBody} bytes").ConfigureAwait(false);
            return;
        }
        if (options.Auth.CheckWrite(Headers(context.Request), body) is { } refused)
        {
            await Problem(context, StatusCodes.Status401Unauthorized, DiagnosticCodes.Usage, refused).ConfigureAwait(false);
            return;
        }
        var config = source.Current();
        if (CardsJob(config, job) is not { } found)
        {
            await Problem(context, StatusCodes.Status404NotFound, DiagnosticCodes.ConfigValue, $"there is no cards job '{job}'").ConfigureAwait(false);
            return;
        }
        IReadOnlyList<Core.Data.DataItem> items;
        try
        {
            items = HookPayload.Parse(found.Name, body, config.Hooks.GetValueOrDefault(found.Name) ?? HookMapping.None);
        }
        catch (CardException ex)
        {
            await Problem(context, StatusCodes.Status400BadRequest, ex.Diagnostic.Code, ex.Diagnostic.ToString()).ConfigureAwait(false);
            return;
        }
        if (items.Count == 0)
        {
            await Problem(context, StatusCodes.Status400BadRequest, DiagnosticCodes.DataSyntax, "the body holds no items").ConfigureAwait(false);
            return;
        }
        if (await Render(context, found.Name, items).ConfigureAwait(false) is not { } results)
        {
            return;
        }
        context.Response.StatusCode = results.Any(r => r.Status == "failed") ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK;
        await context.Response.WriteAsJsonAsync(new { job = found.Name, items = results.Select(r => Describe(config, found.Name, r)) }, Json).ConfigureAwait(false);
    }

    internal async Task Unpublish(HttpContext context, string job, string id)
    {
        var body = await ReadBody(context).ConfigureAwait(false) ?? [];
        if (options.Auth.CheckWrite(Headers(context.Request), body) is { } refused)
        {
            await Problem(context, StatusCodes.Status401Unauthorized, DiagnosticCodes.Usage, refused).ConfigureAwait(false);
            return;
        }
        if (CardsJob(source.Current(), job) is not { } found)
        {
            await Problem(context, StatusCodes.Status404NotFound, DiagnosticCodes.ConfigValue, $"there is no cards job '{job}'").ConfigureAwait(false);
            return;
        }
        BuildReport report;
        try
        {
            report = await queue.RemoveAsync(found.Name, [id], context.RequestAborted).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            await Problem(context, StatusCodes.Status503ServiceUnavailable, DiagnosticCodes.Usage, "the server is shutting down").ConfigureAwait(false);
            return;
        }
        if (report.Unpublished is 0 or null)
        {
            await Problem(context, StatusCodes.Status404NotFound, DiagnosticCodes.Usage, $"job '{found.Name}' has no outputs for '{id}'").ConfigureAwait(false);
            return;
        }
        await context.Response.WriteAsJsonAsync(new { job = found.Name, id, pruned = report.Outputs.Where(o => o.Status == "pruned").Select(o => o.Path) }, Json).ConfigureAwait(false);
    }

    internal async Task Card(HttpContext context, string job, string path)
    {
        if (options.Auth.CheckRead(Headers(context.Request)) is { } refused)
        {
            await Problem(context, StatusCodes.Status401Unauthorized, DiagnosticCodes.Usage, refused).ConfigureAwait(false);
            return;
        }
        var config = source.Current();
        if (CardsJob(config, job) is null)
        {
            await Problem(context, StatusCodes.Status404NotFound, DiagnosticCodes.Usage, "no such card").ConfigureAwait(false);
            return;
        }
        var (output, badPath) = Lookup(config).Find(job, path);
        // A card of the job's own data that nobody rendered yet: rendered now, coalesced with every other GET of it.
        // A data file that cannot be planned throws its located error, which the server's middleware answers as a 500.
        if (output is null && !badPath && OnDemand(config).ItemFor(job, path) is { } item)
        {
            if (await Render(context, job, [item]).ConfigureAwait(false) is not { } results)
            {
                return;
            }
            if (results[0].Status == "failed")
            {
                var error = results[0].Errors.FirstOrDefault();
                await Problem(context, StatusCodes.Status422UnprocessableEntity, error?.Code ?? DiagnosticCodes.RenderFailed, error?.Message ?? "the card could not be rendered").ConfigureAwait(false);
                return;
            }
            (output, badPath) = Lookup(config).Find(job, path);
        }
        if (output is null)
        {
            await Problem(context, badPath ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound, DiagnosticCodes.Usage,
                badPath ? "the path is not an output path (no '..', no backslash, no absolute path)" : "no such card").ConfigureAwait(false);
            return;
        }
        var etag = $"\"{output.Key}\"";
        context.Response.Headers.ETag = etag;
        // A URL that names the content (hash in the file name, or ?v= of its hash) never changes its bytes.
        var hashed = config.CacheBust == CacheBust.FileName || (context.Request.Query["v"] is { Count: 1 } v && output.Sha256.StartsWith(v[0]!, StringComparison.Ordinal) && v[0]!.Length >= 8);
        context.Response.Headers.CacheControl = hashed ? "public, max-age=31536000, immutable" : "public, no-cache";
        if (context.Request.Headers.IfNoneMatch.Contains(etag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        context.Response.ContentType = output.Mime;
        context.Response.ContentLength = output.Bytes;
        await context.Response.SendFileAsync(output.FullPath, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The items' outcomes, or null once a 429, 503 or 504 has been answered.</summary>
    private async Task<HookItemResult[]?> Render(HttpContext context, string job, IReadOnlyList<Core.Data.DataItem> items)
    {
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            limit.CancelAfter(options.RequestTimeout);
            return await queue.SubmitAsync(job, items, limit.Token).ConfigureAwait(false);
        }
        catch (HookQueueFullException ex)
        {
            context.Response.Headers.RetryAfter = "1";
            await Problem(context, StatusCodes.Status429TooManyRequests, DiagnosticCodes.Usage, ex.Message).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            context.Response.Headers.RetryAfter = "5";
            await Problem(context, StatusCodes.Status503ServiceUnavailable, DiagnosticCodes.Usage, "the server is shutting down").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            context.Response.Headers.RetryAfter = "5";
            await Problem(context, StatusCodes.Status504GatewayTimeout, DiagnosticCodes.Usage, $"the render did not finish within {options.RequestTimeout.TotalSeconds:0} s; it goes on, and a retry finds it").ConfigureAwait(false);
        }
        return null;
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

    /// <summary>The body, or null when it is larger than allowed (read no further than that).</summary>
    private async Task<byte[]?> ReadBody(HttpContext context)
    {
        if (context.Request.ContentLength > options.MaxBody)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > options.MaxBody)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>One header's value, or null: what <see cref="HookAuth"/> asks of a request.</summary>
    internal static Func<string, string?> Headers(HttpRequest request) =>
        name => request.Headers.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;

    internal static Task Problem(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = new { code, message = Printable.Of(message), status = status.ToString(CultureInfo.InvariantCulture) } }, Json);
    }
}
