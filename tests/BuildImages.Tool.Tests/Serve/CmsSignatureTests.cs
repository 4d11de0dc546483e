using System.Security.Cryptography;
using System.Text;
using BuildImages.Core.Configuration;
using BuildImages.Tool.Serve;

namespace BuildImages.Tool.Tests.Serve;

/// <summary>Each CMS's signature as <see cref="HookAuth"/> checks it: what passes, and each way a request is refused.</summary>
public sealed class CmsSignatureTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("cms-signing-secret");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123);
    private static readonly HookAuth Auth = new(Encoding.UTF8.GetBytes("server-secret"), null, null, time: new FixedTime(Now));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static Func<string, string?> Headers(Dictionary<string, string> headers) =>
        name => headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string? Check(HookMapping mapping, Dictionary<string, string> headers, string body, string pathAndQuery = "/hooks/posts")
    {
        var check = Auth.Begin("POST", "/hooks/posts", pathAndQuery, Headers(headers), mapping, null);
        return check.Refused ?? Auth.Finish(check, Encoding.UTF8.GetBytes(body));
    }

    private static Dictionary<string, string> Contentful(string body, string path = "/hooks/posts", long? at = null, string signedList = "x-contentful-signed-headers,x-contentful-timestamp,x-contentful-topic")
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["x-contentful-timestamp"] = (at ?? Now.ToUnixTimeMilliseconds()).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["x-contentful-signed-headers"] = signedList,
            ["X-Contentful-Topic"] = " ContentManagement.Entry.publish ",
        };
        var signed = signedList.Split(',').Order(StringComparer.Ordinal).Select(n => $"{n}:{Headers(headers)(n)!.Trim()}");
        var canonical = $"POST\n{path}\n{string.Join(';', signed)}\n{body}";
        headers["x-contentful-signature"] = Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(canonical)));
        return headers;
    }

    private static readonly HookMapping ContentfulJob = HookMapping.None with { Signature = HookSignature.Contentful };

    [Fact]
    public void AContentfulRequestPassesWithTheWebhookSecretAndFailsEveryOtherWay()
    {
        Environment.SetEnvironmentVariable("BI_TEST_CONTENTFUL", "cms-signing-secret");
        var job = ContentfulJob with { Secret = new HookSecretSource("BI_TEST_CONTENTFUL", null) };
        const string Body = """{"sys":{"id":"5Ks"}}""";

        Assert.Null(Check(job, Contentful(Body), Body));
        // The body, the path, a signed header or the secret changed; the timestamp outside the window; the timestamp not signed.
        Assert.Contains("does not match", Check(job, Contentful(Body), Body + " "), StringComparison.Ordinal);
        Assert.Contains("does not match", Check(job, Contentful(Body), Body, "/hooks/other"), StringComparison.Ordinal);
        var topic = Contentful(Body);
        topic["X-Contentful-Topic"] = "ContentManagement.Entry.unpublish";
        Assert.Contains("does not match", Check(job, topic, Body), StringComparison.Ordinal);
        Assert.Contains("does not match", Check(ContentfulJob, Contentful(Body), Body), StringComparison.Ordinal);
        Assert.Contains("from the server's clock", Check(job, Contentful(Body, at: Now.ToUnixTimeMilliseconds() - 400_000), Body), StringComparison.Ordinal);
        Assert.Contains("must list x-contentful-timestamp", Check(job, Contentful(Body, signedList: "x-contentful-signed-headers,x-contentful-topic"), Body), StringComparison.Ordinal);
        var unsigned = Contentful(Body);
        unsigned.Remove("x-contentful-signature");
        Assert.Contains("request verification", Check(job, unsigned, Body), StringComparison.Ordinal);
    }

    [Fact]
    public void AContentfulPathWithAQueryIsSignedAsEncodeURIWritesIt()
    {
        // encodeURI keeps reserved characters and escapes the rest as UTF-8; the query is escaped as a whole first.
        Assert.Equal("/hooks/posts", CmsSignatures.EncodeUri("/hooks/posts"));
        Assert.Equal("/hooks/caf%C3%A9%20x", CmsSignatures.EncodeUri("/hooks/café x"));
        Assert.Equal("/hooks/posts?a%253Db%2526c%253D%25C3%25A9", CmsSignatures.EncodeUri("/hooks/posts?a=b&c=é"));
        const string Body = "{}";
        Environment.SetEnvironmentVariable("BI_TEST_CONTENTFUL_Q", "cms-signing-secret");
        var job = ContentfulJob with { Secret = new HookSecretSource("BI_TEST_CONTENTFUL_Q", null) };
        Assert.Null(Check(job, Contentful(Body, CmsSignatures.EncodeUri("/hooks/posts?space=a b")), Body, "/hooks/posts?space=a b"));
    }

    [Fact]
    public void ASanityRequestPassesWithItsSecretAndAChangedBodyStaleTimeOrBadHeaderFails()
    {
        var job = HookMapping.None with { Signature = HookSignature.Sanity };
        const string Body = """{"_id":"a"}""";
        string Header(long t, string body, byte[] key) =>
            $"t={t},v1={Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{t}.{body}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
        var t = Now.ToUnixTimeMilliseconds();
        var server = Encoding.UTF8.GetBytes("server-secret");

        Assert.Null(Check(job, new() { ["sanity-webhook-signature"] = Header(t, Body, server) }, Body));
        Assert.Contains("does not match", Check(job, new() { ["sanity-webhook-signature"] = Header(t, Body, server) }, Body + "x"), StringComparison.Ordinal);
        Assert.Contains("does not match", Check(job, new() { ["sanity-webhook-signature"] = Header(t, Body, Key) }, Body), StringComparison.Ordinal);
        Assert.Contains("from the server's clock", Check(job, new() { ["sanity-webhook-signature"] = Header(t - 600_000, Body, server) }, Body), StringComparison.Ordinal);
        Assert.Contains("t=<milliseconds>", Check(job, new() { ["sanity-webhook-signature"] = "v1=abc" }, Body), StringComparison.Ordinal);
    }

    [Fact]
    public void ATokenJobTakesItsTokenFromItsHeaderAndAMissingJobSecretIsTheServersProblem()
    {
        Environment.SetEnvironmentVariable("BI_TEST_TOKEN", "tok-123");
        var bearer = HookMapping.None with { Signature = HookSignature.Token, Secret = new HookSecretSource("BI_TEST_TOKEN", null) };
        var custom = bearer with { TokenHeader = "X-Webhook-Token" };

        Assert.Null(Check(bearer, new() { ["Authorization"] = "Bearer tok-123" }, "{}"));
        Assert.Null(Check(custom, new() { ["X-Webhook-Token"] = "tok-123" }, "{}"));
        Assert.Contains("no valid token in its X-Webhook-Token header", Check(custom, new() { ["X-Webhook-Token"] = "tok-124" }, "{}"), StringComparison.Ordinal);
        Assert.Contains("no valid token", Check(custom, new() { ["Authorization"] = "Bearer tok-123" }, "{}"), StringComparison.Ordinal);
        var unset = Auth.Begin("POST", "/hooks/posts", "/hooks/posts", _ => null, bearer with { Secret = new HookSecretSource("BI_TEST_NOT_SET", null) }, null);
        Assert.Equal(500, unset.Status);
        Assert.Contains("BI_TEST_NOT_SET", unset.Refused, StringComparison.Ordinal);
    }
}
