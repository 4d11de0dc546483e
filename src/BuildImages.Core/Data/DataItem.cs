namespace BuildImages.Core.Data;

/// <summary>One item of card data, with where it came from (for messages and for planning output names).</summary>
public sealed record DataItem(string SourceFile, int Line, string Id, IReadOnlyDictionary<string, object?> Fields);
