using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>A card (or photo) with at least one output to render, its last record, and why each output renders.</summary>
internal sealed record CardWork(PlannedCard Card, CardRecord? Old, IReadOnlyDictionary<PlannedVariant, RenderReason> Needed);
