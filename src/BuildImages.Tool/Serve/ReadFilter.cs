using BuildImages.Core.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace BuildImages.Tool.Serve;

/// <summary>
/// The read routes (<c>GET /cards/…</c>, <c>GET /metrics</c>) pass here first: with a read token configured, a request
/// without it is refused (401, Problem Details) before the route does anything; without one, reads are public.
/// </summary>
internal sealed class ReadFilter(HookAuth auth) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        auth.CheckRead(HookEndpoints.Headers(context.HttpContext.Request)) is { } refused
            ? HookProblems.Of(StatusCodes.Status401Unauthorized, DiagnosticCodes.Usage, refused)
            : await next(context).ConfigureAwait(false);
}
