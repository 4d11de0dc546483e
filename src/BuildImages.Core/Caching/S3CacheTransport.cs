using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace BuildImages.Core.Caching;

/// <summary>
/// An S3 bucket (or an S3-compatible store) as the cache: <c>s3://bucket/prefix</c> holds <c>prefix/cas/…</c> and
/// <c>prefix/ac/…</c>. A missing key is a miss only when the credential may list the bucket (S3 answers 403, not
/// 404, otherwise): the docs say so. The SDK does not retry (<see cref="CacheClient"/> does, the same for every store).
/// </summary>
internal sealed class S3CacheTransport : ICacheTransport
{
    /// <summary>One client per cache and credential for the life of the process, as for HTTP.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Bucket, S3Access Access, TimeSpan Timeout), AmazonS3Client> Shared = new();

    private readonly AmazonS3Client _s3;
    private readonly string _bucket;
    private readonly string _prefix;

    private S3CacheTransport(AmazonS3Client s3, string bucket, string prefix)
    {
        _s3 = s3;
        _bucket = bucket;
        _prefix = prefix;
    }

    internal static S3CacheTransport For(RemoteCacheOptions options)
    {
        var access = options.S3 ?? S3Access.FromEnvironment(Environment.GetEnvironmentVariable);
        var bucket = options.Url.Host;
        var client = Shared.GetOrAdd((bucket, access, options.Timeout), key =>
        {
            var config = new AmazonS3Config
            {
                MaxErrorRetry = 0,
                Timeout = key.Timeout,
                // Checksums only where S3 requires them: a plain-http endpoint would otherwise get aws-chunked bodies
                // (which some S3-compatible stores keep with the framing); every read is hash-checked by us anyway.
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            };
            if (key.Access.Endpoint is { } endpoint)
            {
                config.ServiceURL = endpoint.AbsoluteUri;
                config.ForcePathStyle = true;
                config.AuthenticationRegion = key.Access.Region;
            }
            else
            {
                config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(key.Access.Region);
            }
            return key.Access.AccessKeyId is { } id
                ? new AmazonS3Client(key.Access.SessionToken is { } token ? new SessionAWSCredentials(id, key.Access.SecretAccessKey, token) : new BasicAWSCredentials(id, key.Access.SecretAccessKey), config)
                : new AmazonS3Client(config);
        });
        return new S3CacheTransport(client, bucket, options.Url.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) + "/" : string.Empty);
    }

    public byte[]? Get(string area, string name, long maxBytes, CancellationToken cancellation)
    {
        var key = _prefix + area + "/" + name;
        try
        {
            using var response = _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key }, cancellation).GetAwaiter().GetResult();
            return BoundedBody.Read(response.ResponseStream, response.ContentLength, maxBytes, cancellation);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
        catch (AmazonServiceException ex)
        {
            throw Failure("GET", key, ex);
        }
    }

    public void Put(string area, string name, byte[] body, CancellationToken cancellation)
    {
        var key = _prefix + area + "/" + name;
        try
        {
            using var content = new MemoryStream(body, writable: false);
            _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = content, UseChunkEncoding = false, AutoCloseStream = false }, cancellation).GetAwaiter().GetResult();
        }
        catch (AmazonServiceException ex)
        {
            throw Failure("PUT", key, ex);
        }
    }

    private CacheRequestException Failure(string method, string key, AmazonServiceException ex)
    {
        var status = (int)ex.StatusCode;
        var what = status == 0 ? ex.InnerException?.Message ?? ex.Message : $"answered {status} {ex.ErrorCode}";
        var hint = status == 403 && method == "GET" ? " (a credential that may not list the bucket sees a missing key as 403: allow s3:ListBucket)" : string.Empty;
        return CacheRequestException.ForStatus($"{method} s3://{_bucket}/{key} {what}{hint}", status);
    }
}
