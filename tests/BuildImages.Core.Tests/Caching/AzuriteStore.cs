using Azure.Storage.Blobs;
using BuildImages.Core.Caching;

namespace BuildImages.Core.Tests.Caching;

/// <summary>
/// Azure Blob Storage on loopback: Azurite, in memory. It checks the shared key on every request, so a wrong key is a
/// real 403. The container is created here, as a user would create it once.
/// </summary>
public sealed class AzuriteStore : ObjectStoreServer
{
    /// <summary>Azurite's well-known development account (documented, not a secret).</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const string Container = "cards";

    public AzuriteStore()
        : base("azurite-blob", port => ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry"])
    {
        Client.CreateIfNotExists();
    }

    public string ConnectionString(string key = AccountKey) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    private BlobContainerClient Client => new(ConnectionString(), Container);

    public override RemoteCacheOptions Options(bool readOnly = false, string? signingKey = null) => Options(ConnectionString(), readOnly, signingKey);

    public static RemoteCacheOptions Options(string connectionString, bool readOnly = false, string? signingKey = null) => new()
    {
        Url = new Uri($"azblob://{Container}/site-a"),
        ReadOnly = readOnly,
        SigningKey = signingKey is null ? null : System.Text.Encoding.UTF8.GetBytes(signingKey),
        AzureBlob = new AzureBlobAccess(connectionString, null, null, null),
    };

    public override IReadOnlyList<string> Names(string area) =>
        [.. Client.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"site-a/{area}/", CancellationToken.None).Select(b => b.Name[$"site-a/{area}/".Length..]).Order(StringComparer.Ordinal)];

    public override byte[] Read(string area, string name) => Client.GetBlobClient($"site-a/{area}/{name}").DownloadContent().Value.Content.ToArray();

    public override void Write(string area, string name, byte[] bytes) => Client.GetBlobClient($"site-a/{area}/{name}").Upload(BinaryData.FromBytes(bytes), overwrite: true);

    public override void Clear()
    {
        foreach (var blob in Client.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, CancellationToken.None).ToList())
        {
            Client.DeleteBlob(blob.Name);
        }
    }
}
