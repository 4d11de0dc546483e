using System.Globalization;
using System.Text;
using System.Text.Json;
using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Serving;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--hook-mutations N [SEED]</c>: the recorded CMS requests of <c>samples/hook/*</c> (Contentful, Sanity, Strapi,
/// Umbraco), each body damaged N times in all (truncated, bytes changed, JSON tokens inserted, nesting added) and read
/// with its sample's hook mapping and headers. Every outcome must be a message (publish, unpublish or ignore) or a
/// located error (<see cref="BuildInputException"/>); any other exception is a bug, which the hook server would answer
/// with a 500. Prints the count of each outcome; exits 1 when any is a bug.
/// </summary>
internal static class HookMutationRun
{
    private static readonly string[] Tokens = ["{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\\u0000", "\\ud800", "\"\":", "{\"a\":", "[[[[[[[[", "0.1", "\"sys\":", "\"id\":", "\"slug\":"];

    internal static int Run(string[] args, TextWriter o)
    {
        var count = int.Parse(args.ElementAtOrDefault(0) ?? "2000", CultureInfo.InvariantCulture);
        var random = new Random(int.Parse(args.ElementAtOrDefault(1) ?? "1", CultureInfo.InvariantCulture));
        var cases = new List<(string Cms, string Job, HookMapping Mapping, byte[] Body, Dictionary<string, string> Headers)>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(BenchSupport.RepoRoot(), "samples", "hook")).Order(StringComparer.Ordinal))
        {
            var config = ConfigLoader.Load(Path.Combine(dir, "buildimages.json"));
            using var requests = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "requests.json")));
            foreach (var request in requests.RootElement.EnumerateArray())
            {
                var headers = request.TryGetProperty("headers", out var h) ? h.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase) : [];
                var body = File.ReadAllBytes(Path.Combine(dir, request.GetProperty("body").GetString()!));
                foreach (var (job, mapping) in config.Hooks)
                {
                    cases.Add((Path.GetFileName(dir), job, mapping, body, headers));
                }
            }
        }
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var bugs = 0;
        for (var i = 0; i < count; i++)
        {
            var (cms, job, mapping, original, headers) = cases[random.Next(cases.Count)];
            var body = ByteDamage.Damage([.. original], random, Tokens, maxChanged: 4, lowest: 32, highest: 127);
            string outcome;
            try
            {
                var message = HookPayload.Read(job, body, mapping, name => headers.GetValueOrDefault(name));
                outcome = $"{message.Action} ({message.Items.Count} items)";
            }
            catch (BuildInputException ex)
            {
                outcome = "refused " + ex.Diagnostic.Code;
            }
            catch (Exception ex)
            {
                outcome = "bug: " + ex.GetType().Name;
                bugs++;
                o.WriteLine($"{i} ({cms}): {ex}");
                o.WriteLine("  body: " + Encoding.UTF8.GetString(body).ReplaceLineEndings(" "));
            }
            var key = $"{cms}: {outcome}";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }
        foreach (var (key, n) in outcomes)
        {
            o.WriteLine($"{n,6}  {key}");
        }
        o.WriteLine($"{count} damaged bodies over {cases.Count} recorded requests, {bugs} bugs");
        return bugs == 0 ? 0 : 1;
    }
}
