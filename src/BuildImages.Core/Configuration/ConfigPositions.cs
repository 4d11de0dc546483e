using System.Text.Json;
using BuildImages.Core.Primitives;

namespace BuildImages.Core.Configuration;

/// <summary>
/// Positions in a configuration's JSON text, for a front that composes a configuration (the MSBuild package adds its
/// items' jobs to the project's buildimages.json): which value or name an error's line and column point at, and where
/// that same value is in another text of the same configuration, so an error is reported where the user wrote it.
/// </summary>
public sealed class ConfigPositions
{
    private static readonly JsonReaderOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
    private readonly JsonLocator _locator;

    /// <param name="utf8">The configuration's JSON text.</param>
    public ConfigPositions(byte[] utf8) => _locator = new JsonLocator(utf8, Options);

    /// <summary>The JSON pointer ("/jobs/2/variants/0/format") of the value or name at a 1-based line and column, or null.</summary>
    public string? PointerAt(int line, int column) => _locator.PointerAt(new JsonLocation(line, column));

    /// <summary>Where the value at a pointer is (or its nearest located parent).</summary>
    public (int Line, int Column) Of(string pointer) => _locator.Value(pointer) is var at ? (at.Line, at.Column) : default;
}
