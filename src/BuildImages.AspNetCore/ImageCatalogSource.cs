using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace BuildImages.AspNetCore;

/// <summary>
/// The app's images.json, read from the web root (the published wwwroot, or in development the static web assets the
/// build made in the intermediate folder) and read again when it changes (a <c>dotnet watch</c> rebuild renders a new
/// card). Missing: an empty catalog, so a page still renders without its card.
/// </summary>
public sealed class ImageCatalogSource : IDisposable
{
    private readonly IFileProvider _files;
    private readonly string _path;
    private readonly object _lock = new();
    private ImageCatalog? _current;
    private IDisposable? _watch;

    /// <param name="environment">The app's environment, for its web root.</param>
    /// <param name="options">Where images.json is.</param>
    public ImageCatalogSource(IWebHostEnvironment environment, IOptions<BuildImagesOptions> options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        _files = environment.WebRootFileProvider;
        _path = options.Value.MetadataPath.TrimStart('/');
    }

    /// <summary>The catalog as the file is now.</summary>
    public ImageCatalog Current
    {
        get
        {
            lock (_lock)
            {
                if (_current is null)
                {
                    _watch?.Dispose();
                    // Watched before it is read: a change while reading is not missed.
                    _watch = ChangeToken.OnChange(() => _files.Watch(_path), Forget);
                    _current = Read();
                }
                return _current;
            }
        }
    }

    private void Forget()
    {
        lock (_lock)
        {
            _current = null;
        }
    }

    private ImageCatalog Read()
    {
        var file = _files.GetFileInfo(_path);
        if (!file.Exists)
        {
            return ImageCatalog.Empty;
        }
        using var stream = file.CreateReadStream();
        return ImageCatalog.Parse(stream);
    }

    /// <inheritdoc/>
    public void Dispose() => _watch?.Dispose();
}
