using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Imaging;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;
using BuildImages.Core.Assets;

namespace BuildImages.Core.Build;

/// <summary>
/// Right-sizes one photo job item on a worker thread: keys it by the source's hash (from the stat cache, or hashed
/// now), makes each variant that needs it from the file as it was hashed (read where it is decoded: see
/// <see cref="PhotoFile"/>), writes atomically, records the result with the source's hash as its input set. A file that cannot be read is
/// handled by the job's <c>onError</c>: fail it (the default), skip it with a warning, or stop the job's remaining photos.
/// </summary>
internal sealed class PhotoWorker(WorkerContext context, PhotoRun photos)
{
    private readonly BuildLog _log = context.Log;
    private readonly StageClock _clock = context.Clock;

    internal void Render(PlannedPhoto card, OutputWork work)
    {
        var photo = card.Source;
        var job = card.Job.Photos!;
        if (photos.IsStopped(card.Job.Name, out var stopper))
        {
            _log.Fail(work, card, work.NeededOf(card).Keys, Error(DiagnosticCodes.RenderFailed, $"photo '{card.Item.Id}' was not processed: the job stopped at '{stopper}' (onError: stop)", card), null);
            return;
        }
        var old = work.LastRecord(context.Manifest);
        PhotoFile? source = null;
        try
        {
            var stamped = context.Hashes.Require(photo.SourceKey);
            var sourceHash = stamped.Sha256;
            source = new PhotoFile(photo.SourceFile, stamped.Size, stamped.ModifiedTicks);
            var set = new InputSet
            {
                Engine = context.EngineStamp,
                Templates = new(StringComparer.Ordinal),
                Fonts = new(StringComparer.Ordinal),
                Assets = new(StringComparer.Ordinal) { [photo.SourceKey] = sourceHash },
            };
            var setHash = set.Hash();
            context.Manifest.AddInputSet(setHash[..16], set);
            var keyBase = ContentHash.OfParts(card.PreKey, setHash);
            var written = new Dictionary<string, VariantRecord>(StringComparer.Ordinal);
            var wanted = work.NeededOf(card).OrderBy(n => n.Key.Path, StringComparer.Ordinal).ToList();
            // Variants the remote cache has are written from it; the photo is decoded only for the rest (if any).
            var fetched = FetchAll(card, work, old, wanted, keyBase, written, stamped.Size);
            var needed = wanted.Where(n => !fetched.Contains(n.Key)).ToList();
            if (needed.Count == 0)
            {
                context.Manifest.Set(card, RecordMaker.Item(card, old, work.NeededOf(card), written, setHash[..16], context.Paths));
                return;
            }
            var processed = _clock.Time(BuildStage.Encode, () => photos.Processing.ProcessAll(source, needed.Select(n => new PhotoRequest(n.Key.Shape!, n.Key.Encode, n.Key.MaxBytes, n.Key.MinQuality)).ToList(), job.Settings, photo.Focus));
            foreach (var warning in processed.Warnings)
            {
                _log.Report(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.ImageWarning, $"photo '{card.Item.Id}': {warning}", photo.SourceFile, Item: card.Name));
            }
            for (var i = 0; i < needed.Count; i++)
            {
                var (variant, reason) = needed[i];
                var result = processed.Outputs[i];
                var key = ContentHash.OfParts(keyBase, variant.Signature);
                if (result.OverBudget)
                {
                    _log.Report(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.OverBudget,
                        $"{variant.Path} is {result.Bytes.Length} bytes at the floor quality {result.Quality}, over its budget of {variant.MaxBytes} bytes", photo.SourceFile, Item: card.Name));
                }
                var previous = OutputWork.Previous(old, variant.Path);
                var (file, sha) = _clock.Time(BuildStage.Write, () => context.Writer.Write(card.RecordKey, variant.Path, result.Bytes, previous));
                written[variant.Path] = RecordMaker.Variant(variant, file, sha, key, result.Bytes.Length, result.Quality, result.Width, result.Height);
                _log.Report(new OutputOutcome(variant.Path, card.Name, OutputStatus.Rendered, reason, result.Width, result.Height, variant.Encode.MimeType, result.Bytes.Length, key));
                _log.Saved(PhotoSavingCalculator.Make(variant.Path, card.Item.Id, stamped.Size, processed, result, photos.VisionModels));
                context.Cache?.Store(key, result.Bytes, result.Quality, result.Width, result.Height, source: (processed.SourceWidth, processed.SourceHeight));
            }
            context.Manifest.Set(card, RecordMaker.Item(card, old, work.NeededOf(card), written, setHash[..16], context.Paths));
        }
        catch (ImageRejectedException ex)
        {
            var message = $"photo '{card.Item.Id}' could not be read: {ex.Message}";
            switch (job.OnError)
            {
                case PhotoErrorPolicy.Skip:
                    _log.Report(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.CorruptImage, message + " (skipped: onError is skip)", photo.SourceFile, Item: card.Name));
                    break;
                case PhotoErrorPolicy.CopyOriginal when photo.OriginalPath is { } copyPath && source is not null:
                    CopyOriginal(card, work, old, copyPath, source, message);
                    break;
                case PhotoErrorPolicy.Stop:
                    photos.Stop(card.Job.Name, card.Item.Id);
                    _log.Fail(work, card, work.NeededOf(card).Keys, Error(DiagnosticCodes.CorruptImage, message + " (the job stops: onError is stop)", card), null);
                    break;
                default:
                    _log.Fail(work, card, work.NeededOf(card).Keys, Error(DiagnosticCodes.CorruptImage, message, card), null);
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Fail(work, card, work.NeededOf(card).Keys, Error(DiagnosticCodes.RenderFailed, $"photo '{card.Item.Id}': {ex.Message}", card), null);
        }
        catch (BuildInputException ex)
        {
            _log.Fail(work, card, work.NeededOf(card).Keys, ex.Diagnostic with { Item = card.Name, File = ex.Diagnostic.File ?? photo.SourceFile }, null);
        }
        catch (Exception ex)
        {
            _log.Fail(work, card, work.NeededOf(card).Keys, Error(DiagnosticCodes.InternalError, InternalError.Describe(ex, "right-sizing this photo"), card), null);
        }
    }

    /// <summary>
    /// Writes the variants the remote cache has (verified) and returns them; with <c>--require-cached</c> a variant it
    /// lacks fails the photo. Its saving comes from the source size the build that made it stored with it (the photo is
    /// not decoded here); a mapping without one (stored by an older build) reports none.
    /// </summary>
    private HashSet<PlannedVariant> FetchAll(PlannedPhoto card, OutputWork work, ItemRecord? old, List<KeyValuePair<PlannedVariant, RenderReason>> wanted, string keyBase, Dictionary<string, VariantRecord> written, long sourceBytes)
    {
        var fetched = new HashSet<PlannedVariant>();
        foreach (var (variant, reason) in wanted)
        {
            var key = ContentHash.OfParts(keyBase, variant.Signature);
            if (context.Fetch(key, variant) is not { } cached)
            {
                continue;
            }
            var previous = OutputWork.Previous(old, variant.Path);
            var (file, sha) = _clock.Time(BuildStage.Write, () => context.Writer.Write(card.RecordKey, variant.Path, cached.Bytes, previous));
            written[variant.Path] = RecordMaker.Variant(variant, file, sha, key, cached.Bytes.Length, cached.Quality, cached.Width, cached.Height);
            _log.Report(new OutputOutcome(variant.Path, card.Name, OutputStatus.Fetched, reason, cached.Width, cached.Height, variant.Encode.MimeType, cached.Bytes.Length, key));
            if (cached.Source is { } size)
            {
                _log.Saved(PhotoSavingCalculator.Make(variant.Path, card.Item.Id, sourceBytes, size, cached.Bytes.Length, (cached.Width, cached.Height), photos.VisionModels));
            }
            fetched.Add(variant);
        }
        return fetched;
    }

    /// <summary>
    /// onError: copy-original. The source goes out unchanged under the output stem with its own extension, recorded
    /// with options "original" (a key no render can match, so the next build tries the file again) and kept from prune
    /// while the source stays unreadable; the planned variants keep what they had. The bytes are read as they were
    /// hashed (a file changed since fails the photo, as a decode would).
    /// </summary>
    private void CopyOriginal(PlannedPhoto card, OutputWork work, ItemRecord? old, string copyPath, PhotoFile source, string message)
    {
        byte[] bytes;
        try
        {
            bytes = source.Read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Fail(work, card, work.NeededOf(card).Keys, Error(DiagnosticCodes.RenderFailed, $"{message}; its original could not be copied either: {ex.Message}", card), null);
            return;
        }
        var previous = OutputWork.Previous(old, copyPath);
        var (file, sha) = _clock.Time(BuildStage.Write, () => context.Writer.Write(card.RecordKey, copyPath, bytes, previous));
        var mime = OriginalMime(copyPath);
        var copy = new VariantRecord { Path = copyPath, File = file, Key = "original-" + sha, Options = "original", Width = 0, Height = 0, Mime = mime, Bytes = bytes.Length, Sha256 = sha };
        var kept = old?.Variants.Where(v => v.Path != copyPath) ?? [];
        var record = old is { } last
            ? last with { Variants = [.. kept, copy] }
            : RecordMaker.Item(card, null, work.NeededOf(card), [], "original", context.Paths) with { Variants = [copy] };
        photos.CopiedOriginal(card.RecordKey, copyPath);
        context.Manifest.Set(card, record);
        _log.Report(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.CorruptImage, message + $" (copied unchanged to {copyPath}, metadata and all: onError is copy-original)", card.Source.SourceFile, Item: card.Name));
        _log.Report(new OutputOutcome(copyPath, card.Name, OutputStatus.Original, null, 0, 0, mime, bytes.Length, copy.Key));
    }

    private static string OriginalMime(string path) => Path.GetExtension(path) switch
    {
        ".jpg" or ".jpeg" or ".jpe" => "image/jpeg",
        ".png" => "image/png",
        ".webp" => "image/webp",
        ".gif" => "image/gif",
        ".tif" or ".tiff" => "image/tiff",
        ".avif" => "image/avif",
        _ => "image/heif",
    };

    private static Diagnostic Error(string code, string message, PlannedPhoto card) =>
        new(DiagnosticSeverity.Error, code, message, card.Source.SourceFile, Item: card.Name);
}
