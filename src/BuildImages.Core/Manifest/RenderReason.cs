namespace BuildImages.Core.Manifest;

/// <summary>Why an output is rendered (what <c>--explain</c> prints).</summary>
public enum RenderReasonKind
{
    NewItem,
    NewVariant,
    Forced,
    EngineChanged,
    TemplateChanged,
    SizeChanged,
    SettingsChanged,
    DataChanged,
    TemplateFileChanged,
    FontFileChanged,
    AssetFileChanged,
    OptionsChanged,
    OutputMissing,
    OutputAltered,
}

/// <summary>A reason with the detail that names what changed (a field, a file, an option).</summary>
public sealed record RenderReason(RenderReasonKind Kind, string Detail)
{
    public override string ToString() => Detail;
}
