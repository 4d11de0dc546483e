using BuildImages.Core.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace BuildImages.Tool.Serve;

/// <summary>
/// Every hook route passes here first, in this order, and is refused at the first problem with nothing read further:
/// the target (a job, and for DELETE an id), authentication from the headers alone (a bearer token, or a signature's
/// form and timestamp: an unauthenticated body is never read), the body (at most the limit, within the memory budget
/// for bodies being read), then the signature against the body; only then does the body leave the budget. What passed is a <see cref="HookRequest"/> feature.
/// </summary>
internal sealed class HookFilter(HookAuth auth, RequestBodyBudget bodies, long maxBody) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HookTarget.Of(http) is not { } target || (HttpMethods.IsDelete(http.Request.Method) && target.Id is null))
        {
            return HookProblems.Of(StatusCodes.Status404NotFound, DiagnosticCodes.Usage, "hooks are POST /hooks/{job} and DELETE /hooks/{job}/{id}");
        }
        var check = auth.Begin(http.Request.Method, target.Route, HookEndpoints.Headers(http.Request));
        if (check.Refused is { } refused)
        {
            return HookProblems.Of(StatusCodes.Status401Unauthorized, DiagnosticCodes.Usage, refused);
        }
        var (rented, refusal) = await bodies.ReadAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        if (rented is null)
        {
            if (refusal == StatusCodes.Status503ServiceUnavailable)
            {
                http.Response.Headers.RetryAfter = "5";
                return HookProblems.Of(refusal, DiagnosticCodes.Usage, "the server is reading as many bodies as it allows; retry shortly");
            }
            return HookProblems.Of(StatusCodes.Status413PayloadTooLarge, DiagnosticCodes.Usage, $"the body is larger than {maxBody} bytes");
        }
        byte[] body;
        using (rented)
        {
            if (auth.Finish(check, rented.Span) is { } mismatch)
            {
                return HookProblems.Of(StatusCodes.Status401Unauthorized, DiagnosticCodes.Usage, mismatch);
            }
            // Known to be the caller's now: its own copy, and the slot goes back for the next stranger.
            body = rented.Span.ToArray();
        }
        http.Features.Set(new HookRequest(target, body, check.SignedAt));
        return await next(context).ConfigureAwait(false);
    }
}
