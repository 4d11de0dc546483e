using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BuildImages.Core.Planning;

/// <summary>
/// One of <see cref="Count"/> parts of a build (<see cref="Index"/> from 1), for builds that fan out over the machines of
/// a CI matrix or a batch job: an item belongs to the part its identity (job and output name) hashes to, so every
/// machine agrees without talking to the others and an item stays in its part when others come and go.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>Whether the item with this record key (job:output) is in this part.</summary>
    public bool Contains(string recordKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(recordKey), hash);
        return (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)Count) == Index - 1;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>"k/n" (1 ≤ k ≤ n ≤ 10,000); an <see cref="ArgumentException"/> saying what is wrong otherwise.</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n is >= 1 and <= 10_000 && k >= 1 && k <= n
            ? new Shard(k, n)
            : throw new ArgumentException($"a shard is k/n with 1 ≤ k ≤ n ≤ 10000, such as 2/4, not '{text}'");
    }

    /// <summary>
    /// A shard as every front takes it: <c>k/n</c>, or <c>auto</c> for the part the engine's own variables name
    /// (<see cref="FromEnvironment"/>); an <see cref="ArgumentException"/> naming <paramref name="setting"/> otherwise.
    /// </summary>
    public static Shard Resolve(string text, Func<string, string?> environment, string setting) =>
        text.Trim() == "auto"
            ? FromEnvironment(environment)?.Shard
                ?? throw new ArgumentException($"{setting} auto: no CI or batch engine variables name a shard here (CI_NODE_INDEX, CIRCLE_NODE_INDEX, JOB_COMPLETION_INDEX with BUILDIMAGES_SHARD_COUNT, …); give k/n")
            : Parse(text.Trim());

    /// <summary>
    /// The part the CI or batch engine running this process says it is, from its own variables: GitLab
    /// (<c>CI_NODE_INDEX</c>/<c>CI_NODE_TOTAL</c>, from 1), Azure Pipelines (<c>SYSTEM_JOBPOSITIONINPHASE</c>/<c>SYSTEM_TOTALJOBSINPHASE</c>,
    /// from 1), CircleCI (<c>CIRCLE_NODE_INDEX</c>/<c>CIRCLE_NODE_TOTAL</c>), AWS Batch (<c>AWS_BATCH_JOB_ARRAY_INDEX</c>/<c>AWS_BATCH_JOB_ARRAY_SIZE</c>),
    /// Cloud Run (<c>CLOUD_RUN_TASK_INDEX</c>/<c>CLOUD_RUN_TASK_COUNT</c>), Kubernetes Indexed Jobs (<c>JOB_COMPLETION_INDEX</c>
    /// with the total in <c>BUILDIMAGES_SHARD_COUNT</c>, as Kubernetes does not pass it), from 0; null when none is set.
    /// GitHub Actions has no such variables: pass <c>--shard ${{ strategy.job-index + 1 }}/${{ strategy.job-total }}</c>.
    /// </summary>
    public static (Shard Shard, string Source)? FromEnvironment(Func<string, string?> environment)
    {
        (string Index, string Count, int Base)[] engines =
        [
            ("CI_NODE_INDEX", "CI_NODE_TOTAL", 1),
            ("SYSTEM_JOBPOSITIONINPHASE", "SYSTEM_TOTALJOBSINPHASE", 1),
            ("CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL", 0),
            ("AWS_BATCH_JOB_ARRAY_INDEX", "AWS_BATCH_JOB_ARRAY_SIZE", 0),
            ("CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_COUNT", 0),
            ("JOB_COMPLETION_INDEX", "BUILDIMAGES_SHARD_COUNT", 0),
        ];
        foreach (var (indexName, countName, first) in engines)
        {
            if (environment(indexName) is not { Length: > 0 } index)
            {
                continue;
            }
            var count = environment(countName);
            if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw new ArgumentException($"{indexName}='{index}' and {countName}='{count}' do not name a shard (both must be whole numbers)");
            }
            return (Parse(string.Create(CultureInfo.InvariantCulture, $"{i - first + 1}/{n}")), $"{indexName}/{countName}");
        }
        return null;
    }
}
