namespace BuildImages.Core.Manifest;

/// <summary>
/// The parts of an <see cref="ItemRecord"/> that a pass over every record reads (pruning, the stat cache, stale temp
/// files, the inputs of the report): read from a stored record, the rest of its JSON is skipped, not made into strings,
/// which makes such a pass about half the cost of reading whole records.
/// </summary>
internal sealed class RecordOutline
{
    public string Job { get; set; } = string.Empty;

    public string Item { get; set; } = string.Empty;

    public string Source { get; set; } = string.Empty;

    public string Output { get; set; } = string.Empty;

    public string Inputs { get; set; } = string.Empty;

    public List<OutputOutline> Variants { get; set; } = [];
}

/// <summary>Of a <see cref="VariantRecord"/>, the planned path and the file written.</summary>
internal sealed class OutputOutline
{
    public string Path { get; set; } = string.Empty;

    public string File { get; set; } = string.Empty;
}
