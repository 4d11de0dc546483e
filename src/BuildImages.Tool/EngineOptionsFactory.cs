using BuildImages.Core.Rendering;

namespace BuildImages.Tool;

/// <summary>Locates the built-in templates shipped with the tool (or in the repository when run from source).</summary>
internal static class EngineOptionsFactory
{
    internal static string? BuiltInTemplates() => EngineOptions.BuiltInTemplateFolder();
}
