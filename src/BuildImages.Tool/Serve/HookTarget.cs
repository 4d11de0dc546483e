using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace BuildImages.Tool.Serve;

/// <summary>
/// The job and item id a hook request names, decoded from the request target as sent: each segment percent-decoded
/// once, so <c>/hooks/blog/col%2Fx</c> and <c>/hooks/blog/col/x</c> both name the item <c>col/x</c> (the id a slug
/// holding '/' has), and <c>%252F</c> stays the literal <c>%2F</c>. Kestrel's own decoding keeps <c>%2F</c> and so
/// cannot tell those apart.
/// </summary>
internal sealed record HookTarget(string Job, string? Id)
{
    /// <summary>The route the request's signature covers (<see cref="HookAuth.Route"/>).</summary>
    internal string Route => HookAuth.Route(Job, Id);

    /// <summary>The path and query as the client sent them (an absolute-form target's own), which a CMS's signature covers.</summary>
    internal static string PathAndQuery(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (context.Request.Path.Value + context.Request.QueryString.Value);
        return Uri.TryCreate(raw, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" ? absolute.PathAndQuery : raw;
    }

    /// <summary>The target of a <c>/hooks/{job}</c> or <c>/hooks/{job}/{id...}</c> request, or null when it is not one.</summary>
    internal static HookTarget? Of(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? string.Empty;
        var path = raw.Split('?', 2)[0];
        // An absolute-form target (a proxy's "http://host/hooks/x") names the same route.
        if (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            path = absolute.AbsolutePath;
        }
        var segments = path.Split('/');
        if (segments.Length < 3 || segments[0].Length != 0 || segments[1] != "hooks" || segments[2].Length == 0)
        {
            return null;
        }
        var job = Uri.UnescapeDataString(segments[2]);
        var id = segments.Length > 3 ? string.Join('/', segments.Skip(3).Select(Uri.UnescapeDataString)) : null;
        return new HookTarget(job, id is { Length: > 0 } ? id : null);
    }
}
