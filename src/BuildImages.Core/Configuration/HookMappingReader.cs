using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Configuration;

/// <summary>
/// Reads the configuration's <c>hooks</c>: per cards job, where a CMS request holds its items, fields, id and event, and how
/// it is signed. <c>"cms": "contentful" | "sanity" | "strapi" | "umbraco"</c> fills those from what each CMS sends; any
/// of them can still be set.
/// </summary>
internal static class HookMappingReader
{
    internal static Dictionary<string, HookMapping> Read(ConfigObject root, IReadOnlyList<JobConfig> jobs)
    {
        var mappings = new Dictionary<string, HookMapping>(StringComparer.Ordinal);
        if (root.Object("hooks") is not { } hooks)
        {
            return mappings;
        }
        foreach (var name in hooks.PropertyNames())
        {
            var job = jobs.FirstOrDefault(j => j.Name == name)
                ?? throw hooks.Error(name, $"'hooks' names no job '{name}'{NearestName.Hint(name, jobs.Select(j => j.Name))} (jobs: {string.Join(", ", jobs.Select(j => j.Name))})");
            if (job.Photos is not null)
            {
                throw hooks.Error(name, $"job '{name}' is a photos job; publish hooks render cards jobs");
            }
            mappings[name] = ReadOne(hooks.Object(name)!);
        }
        return mappings;
    }

    private static HookMapping ReadOne(ConfigObject hook)
    {
        hook.AllowOnly("cms", "items", "fields", "id", "event", "publish", "unpublish", "signature", "secret", "tokenHeader", "onDemand");
        var cms = hook.String("cms");
        var preset = cms switch
        {
            null => HookMapping.None,
            "contentful" => Contentful,
            "sanity" => Sanity,
            "strapi" => Strapi,
            "umbraco" => Umbraco,
            var other => throw hook.Choice("cms", other, "contentful", "sanity", "strapi", "umbraco"),
        };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (hook.Object("fields") is { } map)
        {
            foreach (var field in map.PropertyNames())
            {
                fields[field] = map.String(field) is { Length: > 0 } path ? path : throw map.Error(field, $"field '{field}' must map to a dotted path in the payload, such as \"fields.title.en-US\"");
            }
        }
        return preset with
        {
            ItemsPath = hook.Has("items") ? hook.String("items") : preset.ItemsPath,
            Fields = hook.Has("fields") ? fields : preset.Fields,
            OnDemand = hook.Bool("onDemand") ?? false,
            IdPath = hook.String("id") ?? preset.IdPath,
            Event = Event(hook) ?? preset.Event,
            PublishEvents = hook.Has("publish") ? hook.Strings("publish") : preset.PublishEvents,
            UnpublishEvents = hook.Has("unpublish") ? hook.Strings("unpublish") : preset.UnpublishEvents,
            Signature = hook.String("signature") switch
            {
                null => preset.Signature,
                "buildimages" => HookSignature.BuildImages,
                "contentful" => HookSignature.Contentful,
                "sanity" => HookSignature.Sanity,
                "token" => HookSignature.Token,
                var other => throw hook.Choice("signature", other, "buildimages", "contentful", "sanity", "token"),
            },
            Secret = Secret(hook),
            TokenHeader = hook.String("tokenHeader") ?? preset.TokenHeader,
            Cms = cms,
        };
    }

    /// <summary>"event": "header:X-Contentful-Topic" or "body:event".</summary>
    private static HookEventSource? Event(ConfigObject hook) => hook.String("event") switch
    {
        null => null,
        var header when header.StartsWith("header:", StringComparison.Ordinal) && header.Length > 7 => new HookEventSource(header[7..], null),
        var body when body.StartsWith("body:", StringComparison.Ordinal) && body.Length > 5 => new HookEventSource(null, body[5..]),
        var other => throw hook.Error("event", $"'event' must be \"header:NAME\" or \"body:dotted.path\", not '{other}'"),
    };

    /// <summary>"secret": "env:NAME" or "file:/run/secrets/name": a secret's value is never written in the configuration.</summary>
    private static HookSecretSource? Secret(ConfigObject hook) => hook.String("secret") switch
    {
        null => null,
        var env when env.StartsWith("env:", StringComparison.Ordinal) && env.Length > 4 => new HookSecretSource(env[4..], null),
        var file when file.StartsWith("file:", StringComparison.Ordinal) && file.Length > 5 => new HookSecretSource(null, file[5..]),
        _ => throw hook.Error("secret", "'secret' names where the secret is, \"env:VARIABLE\" or \"file:/path\"; a secret's value never goes in the configuration (it is in the repository)"),
    };

    // What each CMS sends (their documentation, 2026): the event's place and names, the id of an entry and of its
    // tombstone, and how requests are signed.
    private static readonly HookMapping Contentful = HookMapping.None with
    {
        IdPath = "sys.id",
        Event = new HookEventSource("X-Contentful-Topic", null),
        PublishEvents = ["ContentManagement.Entry.publish"],
        UnpublishEvents = ["ContentManagement.Entry.unpublish", "ContentManagement.Entry.delete", "ContentManagement.Entry.archive"],
        Signature = HookSignature.Contentful,
    };

    private static readonly HookMapping Sanity = HookMapping.None with
    {
        // A delete's body is what the webhook's projection makes of the document before it went; the header always has the id.
        IdPath = "_id, header:sanity-document-id",
        Event = new HookEventSource("sanity-operation", null),
        PublishEvents = ["create", "update"],
        UnpublishEvents = ["delete"],
        Signature = HookSignature.Sanity,
    };

    private static readonly HookMapping Strapi = new("entry", new Dictionary<string, string>(StringComparer.Ordinal))
    {
        IdPath = "documentId, id",
        Event = new HookEventSource(null, "event"),
        PublishEvents = ["entry.publish"],
        UnpublishEvents = ["entry.unpublish", "entry.delete"],
        Signature = HookSignature.Token,
    };

    private static readonly HookMapping Umbraco = HookMapping.None with
    {
        // Umbraco 14+ writes camelCase, 13 PascalCase; the docs name the event both with and without the "ed".
        IdPath = "id, Id",
        Event = new HookEventSource("umb-webhook-event", null),
        PublishEvents = ["Umbraco.ContentPublish", "Umbraco.ContentPublished"],
        UnpublishEvents = ["Umbraco.ContentUnpublish", "Umbraco.ContentUnpublished", "Umbraco.ContentDelete", "Umbraco.ContentDeleted"],
        Signature = HookSignature.Token,
    };
}
