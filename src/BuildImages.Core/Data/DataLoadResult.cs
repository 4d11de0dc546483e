using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Data;

/// <summary>The files a data reference named, the items of those that could be read, and those that could not.</summary>
public sealed record DataLoadResult(IReadOnlyList<string> Files, IReadOnlyList<DataItem> Items, IReadOnlyList<DataFileFailure> Failures);

/// <summary>A data file whose items are unknown this build: its error, located in the file.</summary>
public sealed record DataFileFailure(string File, Diagnostic Error);
