using BuildImages.Core.Diagnostics;
namespace BuildImages.Core.Configuration;

/// <summary>Reads the configuration's <c>hooks</c>: per cards job, where a publish hook's payload holds its items and fields.</summary>
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
            var hook = hooks.Object(name)!;
            hook.AllowOnly("items", "fields", "onDemand");
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            if (hook.Object("fields") is { } map)
            {
                foreach (var field in map.PropertyNames())
                {
                    fields[field] = map.String(field) is { Length: > 0 } path ? path : throw map.Error(field, $"field '{field}' must map to a dotted path in the payload, such as \"fields.title.en-US\"");
                }
            }
            mappings[name] = new HookMapping(hook.String("items"), fields, hook.Bool("onDemand") ?? false);
        }
        return mappings;
    }
}
