using System.Text.RegularExpressions;
using System.Xml.Linq;
using BuildImages.Core.Build;

namespace BuildImages.Core.Tests;

/// <summary>
/// The engine's public surface is narrow and documented: docs/core-api.md lists exactly the assembly's public types,
/// and each has a summary in the XML documentation. A type made public (or internal) without the list changing fails.
/// </summary>
public sealed partial class PublicSurfaceTests
{
    private static readonly Type[] Exported = typeof(BatchBuilder).Assembly.GetExportedTypes().Where(t => !t.IsNested).ToArray();

    [Fact]
    public void TheCoreApiPageListsExactlyThePublicTypes()
    {
        var page = File.ReadAllText(Path.Combine(TestCards.RepoRoot, "docs", "core-api.md"));
        var listed = Row().Matches(page).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Exported.Select(t => t.Name).Order(StringComparer.Ordinal), listed);
        Assert.InRange(listed.Count, 1, 121);
    }

    [Fact]
    public void EveryPublicTypeHasASummary()
    {
        var xml = XDocument.Load(Path.ChangeExtension(typeof(BatchBuilder).Assembly.Location, ".xml"));
        var summaries = xml.Descendants("member")
            .Where(m => ((string?)m.Attribute("name"))?.StartsWith("T:", StringComparison.Ordinal) == true)
            .ToDictionary(m => ((string)m.Attribute("name")!)[2..], m => m.Element("summary")?.Value.Trim() ?? string.Empty, StringComparer.Ordinal);
        var missing = Exported.Where(t => string.IsNullOrEmpty(summaries.GetValueOrDefault(t.FullName!))).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, "no summary: " + string.Join(", ", missing));
    }

    [GeneratedRegex(@"^\| `([A-Za-z0-9_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
