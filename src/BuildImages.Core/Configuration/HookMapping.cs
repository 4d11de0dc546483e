namespace BuildImages.Core.Configuration;

/// <summary>
/// How a job's publish hook turns a CMS request into work (<c>"hooks": { "JOB": { … } }</c>): <see cref="ItemsPath"/> is the
/// dotted path to the item or the array of items in the body (none: the body is the item or the array); <see cref="Fields"/>
/// maps each card field to a dotted path inside the payload's item (<c>"title": "fields.title.en-US"</c>); without fields
/// the payload's item is used as it is. <see cref="IdPath"/> is where the item's stable id is (<c>sys.id</c>; alternatives
/// comma-separated; none: its slug), which is what an unpublish names. <see cref="Event"/> says where the CMS names what
/// happened (a header, or a path in the body), and <see cref="PublishEvents"/> and <see cref="UnpublishEvents"/> what each
/// name means: an unpublish removes the item's outputs, a publish renders it, anything else is acknowledged and ignored.
/// <see cref="Signature"/> is how the request is authenticated, with the job's own <see cref="Secret"/> or the server's.
/// <see cref="OnDemand"/>: a <c>GET /cards</c> of a card of the job's own data that is not rendered yet renders it first.
/// </summary>
public sealed record HookMapping(string? ItemsPath, IReadOnlyDictionary<string, string> Fields, bool OnDemand = false)
{
    public static readonly HookMapping None = new(null, new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>Dotted paths (first found wins) to the item's id; null: the slug is the id.</summary>
    public string? IdPath { get; init; }

    /// <summary>Where the event's name is; null: every request publishes.</summary>
    public HookEventSource? Event { get; init; }

    /// <summary>Event names that publish (render); empty: every name that is not an unpublish.</summary>
    public IReadOnlyList<string> PublishEvents { get; init; } = [];

    /// <summary>Event names that unpublish (remove the item's outputs, record and images.json entry).</summary>
    public IReadOnlyList<string> UnpublishEvents { get; init; } = [];

    /// <summary>How requests for this job are authenticated.</summary>
    public HookSignature Signature { get; init; } = HookSignature.BuildImages;

    /// <summary>The job's own secret (an environment variable or a file, never a value in the configuration); null: the server's.</summary>
    public HookSecretSource? Secret { get; init; }

    /// <summary>For <see cref="HookSignature.Token"/>: the header that carries the token (default <c>Authorization</c>, as <c>Bearer TOKEN</c>).</summary>
    public string? TokenHeader { get; init; }

    /// <summary>The CMS preset the mapping started from (<c>contentful</c>, <c>sanity</c>, <c>strapi</c>, <c>umbraco</c>), for messages.</summary>
    public string? Cms { get; init; }
}

/// <summary>Where a CMS names the event of a webhook: a request header (<c>X-Contentful-Topic</c>) or a dotted path in the body (<c>event</c>).</summary>
public sealed record HookEventSource(string? Header, string? BodyPath);

/// <summary>A secret named by the configuration: the value of an environment variable, or the content of a file.</summary>
public sealed record HookSecretSource(string? EnvironmentVariable, string? File);

/// <summary>How a hook request proves it comes from the CMS.</summary>
public enum HookSignature
{
    /// <summary>BuildImages' own: HMAC-SHA256 over timestamp, method, route and body, or the server's bearer token.</summary>
    BuildImages,

    /// <summary>Contentful's request verification: HMAC-SHA256 over method, path, the signed headers and the body (x-contentful-signature).</summary>
    Contentful,

    /// <summary>Sanity's: HMAC-SHA256 over "timestamp.body" in <c>sanity-webhook-signature: t=…,v1=…</c>.</summary>
    Sanity,

    /// <summary>A fixed secret in a header the CMS is told to send (Strapi, Umbraco: custom webhook headers).</summary>
    Token,
}
