using Microsoft.AspNetCore.Http;

namespace BuildImages.AspNetCore;

/// <summary>The base a relative card URL is resolved against: the configured public URL, else the request's own.</summary>
internal static class BaseUrls
{
    internal static string Of(BuildImagesOptions options, HttpRequest? request) =>
        options.BaseUrl ?? (request is null ? "http://localhost/" : $"{request.Scheme}://{request.Host}{request.PathBase}/");
}
