using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Assets;

/// <summary>
/// Resolves image references to bytes: relative paths under the allowed roots, or data: URIs.
/// Nothing outside the roots is read (symbolic links are followed to their target before the check),
/// and nothing is fetched from the network.
/// </summary>
public sealed class AssetResolver
{
    private const long MaxAssetBytes = 64L * 1024 * 1024;
    private readonly IReadOnlyList<string> _roots;

    public AssetResolver(IEnumerable<string> roots) =>
        _roots = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToList();

    public IReadOnlyList<string> Roots => _roots;

    /// <summary>Reads the reference; throws <see cref="BuildInputException"/> (missing, outside roots, remote).</summary>
    public AssetSource Resolve(string reference)
    {
        if (reference.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return DataUri.Decode(reference);
        }
        if (Uri.TryCreate(reference, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ftp")
        {
            throw BuildInputException.Error(DiagnosticCodes.MissingImage, $"image '{reference}' is remote; BuildImages does not fetch from the network at build time (download it into an asset folder)");
        }
        if (reference.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw BuildInputException.Error(DiagnosticCodes.PathOutsideRoots, $"image '{reference}': file: URIs are not accepted; use a path relative to an asset root");
        }
        if (_roots.Count == 0)
        {
            throw BuildInputException.Error(DiagnosticCodes.PathOutsideRoots, $"image '{reference}' is a file path but no asset roots are configured");
        }
        string? outside = null;
        var underSomeRoot = false;
        foreach (var root in _roots)
        {
            var candidate = Path.GetFullPath(Path.IsPathRooted(reference) ? reference : Path.Combine(root, reference));
            if (!IsUnder(candidate, root))
            {
                outside = candidate;
                continue;
            }
            underSomeRoot = true;
            if (!File.Exists(candidate))
            {
                continue;
            }
            var target = FinalTarget(candidate);
            if (!_roots.Any(r => IsUnder(target, r)))
            {
                throw BuildInputException.Error(DiagnosticCodes.PathOutsideRoots, $"image '{reference}' links to '{target}', which is outside the asset roots ({string.Join(", ", _roots)})");
            }
            if (Native.FileKind.IsSpecial(target))
            {
                throw BuildInputException.Error(DiagnosticCodes.CorruptImage, $"image '{reference}' is not a regular file (a pipe, a socket or a device)", candidate);
            }
            var length = new FileInfo(target).Length;
            if (length > MaxAssetBytes)
            {
                throw BuildInputException.Error(DiagnosticCodes.CorruptImage, $"image '{reference}' is {length:N0} bytes; the limit is {MaxAssetBytes:N0}", candidate);
            }
            var bytes = File.ReadAllBytes(target);
            return new AssetSource(reference, bytes, target, IsSvgName(target) || SvgSniffer.LooksLikeSvg(bytes));
        }
        if (!underSomeRoot && outside is not null)
        {
            throw BuildInputException.Error(DiagnosticCodes.PathOutsideRoots, $"image '{reference}' resolves to '{outside}', which is outside the asset roots ({string.Join(", ", _roots)})");
        }
        throw BuildInputException.Error(DiagnosticCodes.MissingImage, $"image '{reference}' was not found under the asset roots ({string.Join(", ", _roots)}){NearbyFile(reference)}");
    }

    /// <summary>"; did you mean …?" among the files of the folder the reference names, in any asset root.</summary>
    private string NearbyFile(string reference)
    {
        var slash = reference.Replace('\\', '/').LastIndexOf('/');
        var (folder, name) = slash < 0 ? (string.Empty, reference) : (reference[..slash], reference[(slash + 1)..]);
        var files = _roots.Select(r => Path.Combine(r, folder)).Where(d => IsUnderAny(Path.GetFullPath(d)) && Directory.Exists(d))
            .SelectMany(Directory.EnumerateFiles).Select(Path.GetFileName).OfType<string>();
        return NearestName.Of(name, files) is { } near && near != name ? $"; did you mean '{(slash < 0 ? string.Empty : folder + "/")}{near}'?" : string.Empty;
    }

    private bool IsUnderAny(string path) => _roots.Any(r => IsUnder(path, r));

    internal static bool IsUnder(string path, string root) =>
        path.Equals(root, StringComparison.Ordinal)
        || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string FinalTarget(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null ? path : Path.GetFullPath(info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path);
    }

    private static bool IsSvgName(string path) => path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase);
}
