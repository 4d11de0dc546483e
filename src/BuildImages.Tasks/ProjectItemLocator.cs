using System.Xml;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Extensions.FileSystemGlobbing;

namespace BuildImages.Tasks;

/// <summary>
/// Where in the project file (or the .props/.targets file that defines it) an item and one of its metadata are written,
/// so an item's mistake is an error at that line and column. MSBuild hands the task items without their place: the
/// defining file is read with line information (once per file) and the item found by its type and an Include that matches it.
/// </summary>
internal sealed class ProjectItemLocator(string? projectFile)
{
    private readonly Dictionary<string, XDocument?> _documents = new(StringComparer.Ordinal);

    /// <summary>Each item's element, found once: a job asks for the places of a dozen metadata of one item.</summary>
    private readonly Dictionary<(string File, string Type, string Spec), XElement?> _elements = [];

    /// <summary>The file, line and column of <paramref name="metadata"/> on the item (its attribute or child element), else of the item itself; null when it cannot be found.</summary>
    internal (string File, int Line, int Column)? Find(ITaskItem item, string itemType, string? metadata)
    {
        var file = item.GetMetadata("DefiningProjectFullPath") is { Length: > 0 } defining ? defining : projectFile;
        if (file is null || Document(file) is not { } document)
        {
            return null;
        }
        if (!_elements.TryGetValue((file, itemType, item.ItemSpec), out var element))
        {
            var folder = Path.GetDirectoryName(file)!;
            element = document.Descendants().Where(e => e.Name.LocalName == itemType).FirstOrDefault(e => Matches(e, item.ItemSpec, folder))
                ?? document.Descendants().FirstOrDefault(e => e.Name.LocalName == itemType);
            _elements[(file, itemType, item.ItemSpec)] = element;
        }
        if (element is null)
        {
            return null;
        }
        IXmlLineInfo at = element;
        if (metadata is not null)
        {
            if (element.Attributes().FirstOrDefault(a => a.Name.LocalName == metadata) is { } attribute)
            {
                at = attribute;
            }
            else if (element.Elements().FirstOrDefault(e => e.Name.LocalName == metadata) is { } child)
            {
                at = child;
            }
        }
        return at.HasLineInfo() ? (file, at.LineNumber, at.LinePosition) : (file, 0, 0);
    }

    private XDocument? Document(string file)
    {
        if (!_documents.TryGetValue(file, out var document))
        {
            try
            {
                document = File.Exists(file) ? XDocument.Load(file, LoadOptions.SetLineInfo) : null;
            }
            catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
            {
                document = null;
            }
            _documents[file] = document;
        }
        return document;
    }

    /// <summary>Whether an item element's Include (paths and globs, ';'-separated) names the item.</summary>
    private static bool Matches(XElement element, string itemSpec, string folder)
    {
        var include = element.Attribute("Include")?.Value;
        if (include is null)
        {
            return false;
        }
        var spec = itemSpec.Replace('\\', '/');
        foreach (var part in include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => p.Replace('\\', '/')))
        {
            if (string.Equals(part, spec, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
            matcher.AddInclude(part);
            if (matcher.Match(folder, Path.IsPathRooted(spec) ? Path.GetRelativePath(folder, spec) : spec).HasMatches)
            {
                return true;
            }
        }
        return false;
    }
}
