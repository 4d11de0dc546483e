namespace BuildImages.Core.Primitives;

/// <summary>A line and column (1-based, columns in characters) in a JSON file: the configuration, template.json.</summary>
internal readonly record struct JsonLocation(int Line, int Column);
