using BuildImages.Core.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace BuildImages.Tool.Serve;

/// <summary>
/// Every hook route passes here first, in this order, and is refused at the first problem with nothing read further:
/// the target (a job, and for DELETE an id), authentication from the headers alone in the job's scheme (a bearer
/// token, or a signature's form and timestamp, BuildImages', Contentful's or Sanity's: an unauthenticated body is never read), the body (at most the limit, within the memory budget
/// for bodies being read), then the signature against the body; only then does the body leave the budget. What passed is a <see cref="HookRequest"/> feature.
/// </summary>
internal sealed class HookFilter(HookAuth auth, ConfigSource source, RequestBodyBudget bodies, long maxBody, Action<string> log) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HookTarget.Of(http) is not { } target || (HttpMethods.IsDelete(http.Request.Method) && target.Id is null))
        {
            return HookProblems.Of(StatusCodes.Status404NotFound, DiagnosticCodes.Usage, "hooks are POST /hooks/{job} and DELETE /hooks/{job}/{id}");
        }
        // The job's own scheme and secret (a CMS's signature); a configuration that does not load leaves BuildImages' own,
        // and the route answers its error once the request is known to be the caller's.
        var config = source.TryCurrent();
        var mapping = config?.Hooks.GetValueOrDefault(target.Job);
        var check = auth.Begin(http.Request.Method, target.Route, HookTarget.PathAndQuery(http), HookEndpoints.Headers(http.Request), mapping, config?.BaseDirectory);
        if (check.Refused is { } refused)
        {
            if (check.Status >= StatusCodes.Status500InternalServerError)
            {
                // The server's own configuration is missing the job's secret: the operator's to fix, said in the log.
                log(refused);
                return HookProblems.Of(check.Status, DiagnosticCodes.Usage, "the server cannot check this job's hooks; its log names the problem");
            }
            return HookProblems.Of(check.Status, DiagnosticCodes.Usage, refused);
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
        http.Features.Set(new HookRequest(target, body, check.SignedAt, check.Signature));
        return await next(context).ConfigureAwait(false);
    }
}
