using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using BuildImages.Core.Caching;

namespace BuildImages.Core.Tests.Caching;

/// <summary>
/// S3 on loopback: s3rver, storing in a folder. It is functional only (it checks neither signatures nor checksums), so
/// the tests of credentials run against Azurite; what s3rver proves is that the S3 requests, keys and bodies are right.
/// </summary>
public sealed class S3rverStore : ObjectStoreServer
{
    public const string Bucket = "cards";

    public S3rverStore()
        : base("s3rver", port => ["-d", ".", "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--configure-bucket", Bucket])
    {
    }

    private S3Access Access => new("S3RVER", "S3RVER", null, "us-east-1", new Uri($"http://127.0.0.1:{Port}"));

    public override RemoteCacheOptions Options(bool readOnly = false, string? signingKey = null) => new()
    {
        Url = new Uri($"s3://{Bucket}/site-a"),
        ReadOnly = readOnly,
        SigningKey = signingKey is null ? null : System.Text.Encoding.UTF8.GetBytes(signingKey),
        S3 = Access,
    };

    private AmazonS3Client Client() => new(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
    {
        ServiceURL = Access.Endpoint!.AbsoluteUri,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public override IReadOnlyList<string> Names(string area)
    {
        using var s3 = Client();
        var names = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = $"site-a/{area}/" };
        ListObjectsV2Response page;
        do
        {
            page = s3.ListObjectsV2Async(request).GetAwaiter().GetResult();
            names.AddRange((page.S3Objects ?? []).Select(o => o.Key[request.Prefix.Length..]));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return [.. names.Order(StringComparer.Ordinal)];
    }

    public override byte[] Read(string area, string name)
    {
        using var s3 = Client();
        using var response = s3.GetObjectAsync(Bucket, $"site-a/{area}/{name}").GetAwaiter().GetResult();
        using var memory = new MemoryStream();
        response.ResponseStream.CopyTo(memory);
        return memory.ToArray();
    }

    public override void Write(string area, string name, byte[] bytes)
    {
        using var s3 = Client();
        s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"site-a/{area}/{name}", InputStream = new MemoryStream(bytes), UseChunkEncoding = false }).GetAwaiter().GetResult();
    }

    public override void Clear()
    {
        using var s3 = Client();
        foreach (var area in new[] { "ac", "cas" })
        {
            foreach (var name in Names(area))
            {
                s3.DeleteObjectAsync(Bucket, $"site-a/{area}/{name}").GetAwaiter().GetResult();
            }
        }
    }
}
