using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace BuildImages.Core.Caching;

/// <summary>
/// An Azure Blob Storage container as the cache: <c>azblob://container/prefix</c> holds <c>prefix/cas/…</c> and
/// <c>prefix/ac/…</c>, with the account and credential from <see cref="AzureBlobAccess"/>. The SDK does not retry
/// (<see cref="CacheClient"/> does, the same for every store).
/// </summary>
internal sealed class AzureBlobCacheTransport : ICacheTransport
{
    /// <summary>One client per container and credential for the life of the process, as for HTTP.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Container, AzureBlobAccess Access, TimeSpan Timeout), BlobContainerClient> Shared = new();

    private readonly BlobContainerClient _container;
    private readonly string _prefix;

    private AzureBlobCacheTransport(BlobContainerClient container, string prefix)
    {
        _container = container;
        _prefix = prefix;
    }

    internal static AzureBlobCacheTransport For(RemoteCacheOptions options)
    {
        var access = options.AzureBlob ?? AzureBlobAccess.FromEnvironment(Environment.GetEnvironmentVariable);
        var container = Shared.GetOrAdd((options.Url.Host, access, options.Timeout), key =>
        {
            var settings = new BlobClientOptions();
            settings.Retry.MaxRetries = 0;
            settings.Retry.NetworkTimeout = key.Timeout;
            var a = key.Access;
            if (a.ConnectionString is { } connection)
            {
                return new BlobContainerClient(connection, key.Container, settings);
            }
            var url = new Uri($"https://{a.Account}.blob.core.windows.net/{key.Container}");
            return a.AccountKey is { } accountKey
                ? new BlobContainerClient(url, new StorageSharedKeyCredential(a.Account, accountKey), settings)
                : new BlobContainerClient(url, new AzureSasCredential(a.SasToken!), settings);
        });
        return new AzureBlobCacheTransport(container, options.Url.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) + "/" : string.Empty);
    }

    public byte[]? Get(string area, string name, long maxBytes, CancellationToken cancellation)
    {
        var blob = _prefix + area + "/" + name;
        try
        {
            using var download = _container.GetBlobClient(blob).DownloadStreaming(cancellationToken: cancellation).Value;
            return BoundedBody.Read(download.Content, download.Details.ContentLength, maxBytes, cancellation);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode != "ContainerNotFound")
        {
            return null;
        }
        catch (RequestFailedException ex)
        {
            throw Failure("GET", blob, ex);
        }
    }

    public void Put(string area, string name, byte[] body, CancellationToken cancellation)
    {
        var blob = _prefix + area + "/" + name;
        try
        {
            _container.GetBlobClient(blob).Upload(BinaryData.FromBytes(body), overwrite: true, cancellation);
        }
        catch (RequestFailedException ex)
        {
            throw Failure("PUT", blob, ex);
        }
    }

    private CacheRequestException Failure(string method, string blob, RequestFailedException ex) =>
        CacheRequestException.ForStatus($"{method} azblob://{_container.Name}/{blob} {(ex.Status == 0 ? ex.InnerException?.Message ?? ex.Message : $"answered {ex.Status} {ex.ErrorCode}")}", ex.Status);
}
