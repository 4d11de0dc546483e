using BuildImages.Core.Diagnostics;

namespace BuildImages.Core.Data;

/// <summary>The items of a data reference's readable files, and the files that could not be read or parsed.</summary>
public sealed record DataLoadResult(IReadOnlyList<DataItem> Items, IReadOnlyList<DataFileFailure> Failures);

/// <summary>A data file whose items are unknown this build: its error, located in the file.</summary>
public sealed record DataFileFailure(string File, Diagnostic Error);
