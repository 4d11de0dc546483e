using BuildImages.Core.Configuration;
using BuildImages.Core.Data;
using BuildImages.Core.Planning;
using BuildImages.Core.Rendering;
using BuildImages.Core.Templates;

namespace BuildImages.Core.Serving;

/// <summary>
/// For a job with <c>"onDemand": true</c> in its hook mapping: which item of the job's own data makes an output
/// path, so a <c>GET</c> of a card nobody rendered yet can render it first. The job is planned from its data at
/// most once per configuration and data stamp (a miss costs one plan, not one per request).
/// </summary>
public sealed class OnDemandPlanner(BuildConfig config)
{
    private readonly object _lock = new();
    private readonly Build.Workspace _workspace = new(config);
    private readonly Dictionary<string, (string Stamp, Dictionary<string, DataItem> ByPath)> _plans = new(StringComparer.Ordinal);

    /// <summary>The item whose card has this output path, or null (not on demand, not planned, or the data cannot be read).</summary>
    public DataItem? ItemFor(string job, string path)
    {
        if (!(config.Hooks.TryGetValue(job, out var mapping) && mapping.OnDemand) || config.Jobs.FirstOrDefault(j => j.Name == job) is not { Photos: null } found)
        {
            return null;
        }
        var stamp = Stamp(found);
        lock (_lock)
        {
            if (!_plans.TryGetValue(job, out var plan) || plan.Stamp != stamp)
            {
                var planned = BuildPlanner.Plan(config, _workspace.Templates, _workspace.Paths, [job]);
                var byPath = new Dictionary<string, DataItem>(StringComparer.Ordinal);
                foreach (var card in planned.Items)
                {
                    foreach (var v in card.Variants)
                    {
                        byPath.TryAdd(v.Path, card.Item);
                    }
                }
                plan = (stamp, byPath);
                _plans[job] = plan;
            }
            return plan.ByPath.GetValueOrDefault(path);
        }
    }

    /// <summary>The job's data files' sizes and times: planning again only when one changed.</summary>
    private string Stamp(JobConfig job)
    {
        if (job.Data is null)
        {
            return "inline";
        }
        return string.Join('|', DataLoader.SourceFiles(job.Data, config.BaseDirectory).Select(f => new FileInfo(f)).Select(f => $"{f.FullName}:{f.Length}:{f.LastWriteTimeUtc.Ticks}"));
    }
}
