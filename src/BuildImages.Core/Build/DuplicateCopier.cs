using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Build;

/// <summary>Writes the outputs whose pixels equal an output rendered in this build, as copies of its file.</summary>
internal sealed class DuplicateCopier(BuildConfig config, BuildState state, OutputWriter writer)
{
    internal void CopyAll()
    {
        foreach (var group in state.Copies.GroupBy(c => c.Card.RecordKey, StringComparer.Ordinal))
        {
            var card = group.First().Card;
            var copied = new List<VariantRecord>();
            foreach (var copy in group)
            {
                var source = state.Records.TryGetValue(copy.OwnerRecordKey, out var owner) ? owner.Variants.FirstOrDefault(v => v.Path == copy.OwnerPath) : null;
                if (source is null)
                {
                    state.Fail(card, [copy.Variant], new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.RenderFailed,
                        $"{copy.Variant.Path} is identical to {copy.OwnerPath}, which failed", card.Item.SourceFile, card.Item.Line, Item: card.Name), copy.Reason);
                    continue;
                }
                try
                {
                    var bytes = File.ReadAllBytes(Path.Combine(config.OutputDirectory, source.File));
                    var (file, _) = writer.Write(copy.Variant.Path, bytes, copy.Previous);
                    var record = source with { Path = copy.Variant.Path, File = file, Key = copy.Key };
                    copied.Add(record);
                    state.Report(new OutputOutcome(copy.Variant.Path, card.Name, OutputStatus.Deduplicated, copy.Reason, record.Width, record.Height, record.Mime, record.Bytes, copy.Key));
                }
                catch (IOException ex)
                {
                    state.Fail(card, [copy.Variant], new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.WriteFailed, ex.Message, card.Item.SourceFile, card.Item.Line, Item: card.Name), copy.Reason);
                }
            }
            if (copied.Count > 0 && state.Records.TryGetValue(card.RecordKey, out var current))
            {
                var order = card.Variants.Select(v => v.Path).ToList();
                state.SetRecord(current with { Variants = current.Variants.Where(v => copied.All(c => c.Path != v.Path)).Concat(copied).OrderBy(v => order.IndexOf(v.Path)).ToList() });
            }
        }
    }
}
