using BuildImages.Core.Caching;

namespace BuildImages.Core.Tests.Caching;

/// <summary>Which store a cache URL names, and its credentials from the variables each cloud's own tools read; mistakes are errors that name the variable.</summary>
public sealed class CacheStoreSettingsTests
{
    [Theory]
    [InlineData("s3://cards", true)]
    [InlineData("s3://my.cards-bucket/sites/blog", true)]
    [InlineData("azblob://cards/site-a", true)]
    [InlineData("s3://Cards", true)] // Uri lower-cases the host: the bucket is 'cards'
    [InlineData("s3://a", false)]
    [InlineData("s3://cards:9000", false)]
    [InlineData("azblob://my.cards", false)]
    [InlineData("azblob://-cards", false)]
    [InlineData("azblob://ca--rds", false)]
    [InlineData("s3://key:secret@cards", false)]
    [InlineData("s3://cards?region=eu-west-1", false)]
    [InlineData("gs://cards", false)]
    public void ACacheUrlNamesAValidBucketOrContainer(string url, bool valid) =>
        Assert.Equal(valid, RemoteCacheOptions.ParseUrl(url) is not null);

    [Fact]
    public void AnS3CacheTakesTheAwsVariables()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE", ["AWS_SECRET_ACCESS_KEY"] = "secret", ["AWS_DEFAULT_REGION"] = "eu-west-1",
            ["AWS_ENDPOINT_URL"] = "http://minio.internal:9000", ["BUILDIMAGES_CACHE_MODE"] = "read-only",
        };

        var options = RemoteCacheOptions.FromEnvironment(environment.GetValueOrDefault, "s3://cards/blog")!;

        Assert.Equal(new S3Access("AKIDEXAMPLE", "secret", null, "eu-west-1", new Uri("http://minio.internal:9000")), options.S3);
        Assert.True(options.ReadOnly);
        Assert.Null(options.AzureBlob);
        Assert.DoesNotContain("secret", options.S3!.ToString(), StringComparison.Ordinal);
        // The service-specific endpoint over the general one, AWS_REGION over AWS_DEFAULT_REGION, us-east-1 without either.
        environment["AWS_ENDPOINT_URL_S3"] = "https://s3.example";
        environment["AWS_REGION"] = "ap-south-1";
        Assert.Equal(("s3.example", "ap-south-1"), (RemoteCacheOptions.FromEnvironment(environment.GetValueOrDefault, "s3://cards")!.S3!.Endpoint!.Host, RemoteCacheOptions.FromEnvironment(environment.GetValueOrDefault, "s3://cards")!.S3!.Region));
        Assert.Equal("us-east-1", RemoteCacheOptions.FromEnvironment(_ => null, "s3://cards")!.S3!.Region);
    }

    [Theory]
    [InlineData("AWS_ACCESS_KEY_ID", "AKID", "go together")]
    [InlineData("AWS_ENDPOINT_URL", "minio:9000", "AWS_ENDPOINT_URL must be an http(s) URL")]
    [InlineData("AWS_ENDPOINT_URL_S3", "http://k:s@minio:9000", "AWS_ENDPOINT_URL_S3 must be an http(s) URL")]
    public void AnS3VariableThatCannotBeUsedIsAnErrorNamingIt(string name, string value, string expected) =>
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => RemoteCacheOptions.FromEnvironment(n => n == name ? value : null, "s3://cards")).Message, StringComparison.Ordinal);

    [Fact]
    public void AnAzureCacheTakesAConnectionStringOrAnAccountWithAKeyOrSas()
    {
        Assert.Equal("UseDevelopmentStorage=true", RemoteCacheOptions.FromEnvironment(n => n == "AZURE_STORAGE_CONNECTION_STRING" ? "UseDevelopmentStorage=true" : null, "azblob://cards")!.AzureBlob!.ConnectionString);
        var sas = new Dictionary<string, string> { ["AZURE_STORAGE_ACCOUNT"] = "cardsprod", ["AZURE_STORAGE_SAS_TOKEN"] = "?sv=2024&sp=r&sig=abc" };
        var access = RemoteCacheOptions.FromEnvironment(sas.GetValueOrDefault, "azblob://cards/site")!.AzureBlob!;
        Assert.Equal(("cardsprod", "sv=2024&sp=r&sig=abc"), (access.Account, access.SasToken));
        Assert.DoesNotContain("sig=", access.ToString(), StringComparison.Ordinal);

        Assert.Contains("AZURE_STORAGE_CONNECTION_STRING", Assert.Throws<ArgumentException>(() => RemoteCacheOptions.FromEnvironment(n => n == "AZURE_STORAGE_ACCOUNT" ? "cardsprod" : null, "azblob://cards")).Message, StringComparison.Ordinal);
        Assert.Contains("AZURE_STORAGE_ACCOUNT must be", Assert.Throws<ArgumentException>(() => RemoteCacheOptions.FromEnvironment(n => n switch { "AZURE_STORAGE_ACCOUNT" => "Cards_Prod", "AZURE_STORAGE_KEY" => "a2V5", _ => null }, "azblob://cards")).Message, StringComparison.Ordinal);
    }
}
