using BuildImages.Core.Configuration;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Encoders;
using BuildImages.Core.Manifest;
using BuildImages.Core.Output;
using BuildImages.Core.Planning;
using BuildImages.Core.Primitives;
using BuildImages.Core.Rendering;
using BuildImages.Core.Pixels;

namespace BuildImages.Core.Build;

/// <summary>
/// Renders the outputs of one card on a worker thread: lays the card out once, draws it once per width,
/// encodes each variant (fitting its byte budget), writes atomically, records the result. A failure fails
/// this card only (an exception escaping a worker thread would end the whole process, or the MSBuild node).
/// A card is rendered in two halves: <see cref="Start"/> draws it and starts its encodes, and the finish it returns
/// waits for them and writes; the worker starts its next card in between (see <see cref="RenderPool"/>).
/// </summary>
internal sealed class CardWorker(WorkerContext context, DuplicateTable duplicates, DuplicateCopier copier, CardRenderer renderer, EncoderThreads encoders)
{
    private readonly BuildLog _log = context.Log;
    private readonly StageClock _clock = context.Clock;
    private readonly WholeCardFetch _whole = new(context);

    /// <summary>The file maps this worker made, by their contents (see <see cref="Hashes"/>).</summary>
    private readonly Dictionary<string, SortedDictionary<string, string>> _fileSets = new(StringComparer.Ordinal);

    /// <summary>The signatures of <paramref name="card"/>'s variants: with its pre-key, what makes two cards equal in everything.</summary>
    internal static string Signatures(PlannedCard card) => string.Join('\n', card.Variants.Select(v => v.Signature));

    /// <summary>
    /// Evaluates, lays out and draws the card and starts its encodes on the encoder threads. Returns what finishes it (waits
    /// for the encodes, writes, records; never throws), or null when the card is done already: copied, fetched or failed.
    /// </summary>
    internal Action? Start(PlannedCard card, OutputWork work)
    {
        var template = card.Template;
        // Render locks taken for this card's outputs; each is released once stored, or here if the card fails first.
        List<IDisposable?> leases = [];
        // Once the finish is handed back, it owns the leases and the frames.
        var handedOn = false;
        try
        {
            // An equal pre-key (template, size, every data field, font folders) and equal variants prove equal pixels:
            // a copy of the first such card, without evaluating anything.
            // (Found by the check, which groups such cards: see WorkList.)
            if (work.EqualTo is { } first)
            {
                duplicates.AddEqualCard(work, first);
                return null;
            }
            // The key of the whole card in a remote cache (made only for one).
            var preClaim = context.Cache is null ? string.Empty : ContentHash.OfParts(card.PreKey, Signatures(card));
            var old = work.LastRecord(context.Manifest);
            // Laid out by another build that stored what it read: when those files are the same here, take the outputs.
            if (_whole.TryFetch(card, work, old, preClaim, (variant, reason, key, output, read) => Fetched(card, variant, reason, key, output, old, read)))
            {
                return null;
            }
            var evaluated = _clock.Time(BuildStage.Template, () => renderer.Evaluate(template, card.LoadFields(), card.Size, card.Name));
            var templates = Hashes(evaluated.TemplateFiles);
            // Pixels depend on the markup (with the fonts and images it names, fixed within a build), not on which item
            // produced it: equal markup is recognised before layout, and renders once.
            var markupBase = ContentHash.OfParts(ContentHash.OfText(evaluated.Markup), card.Size.ToString());
            var mine = new List<(PlannedVariant Variant, RenderReason Reason)>();
            var copies = new List<PendingCopy>();
            foreach (var (variant, reason) in work.NeededOf(card).OrderBy(n => n.Key.Path, StringComparer.Ordinal))
            {
                var index = card.VariantIndex(variant.Path);
                var claimed = duplicates.ClaimMarkup(ContentHash.Claim(markupBase, variant.Signature), new MarkupOwner(work, index));
                if (!claimed.Is(work, index))
                {
                    copies.Add(new PendingCopy(index, claimed.Work, claimed.VariantIndex, reason, OutputWork.Previous(old, variant.Path)));
                    continue;
                }
                mine.Add((variant, reason));
            }
            if (mine.Count == 0)
            {
                CopyOrQueue(new CardCopies(work, templates, CardRendered: false, [.. copies]));
                return null;
            }
            using var prepared = _clock.Time(BuildStage.Layout, () => renderer.LayOut(evaluated));
            foreach (var warning in prepared.Warnings)
            {
                _log.Report(warning with { Item = card.Name });
            }
            var set = new InputSet { Engine = context.EngineStamp, Templates = templates, Fonts = Hashes(prepared.Inputs.FontFiles), Assets = Hashes(prepared.Inputs.AssetFiles) };
            var setHash = set.Hash();
            context.Manifest.AddInputSet(setHash[..16], set);
            var keyBase = ContentHash.OfParts(card.PreKey, setHash);
            var written = new Dictionary<string, VariantRecord>(StringComparer.Ordinal);
            var drawn = new Dictionary<int, RenderedCard>();
            // Frames are drawn into pooled buffers, returned once this card's outputs are encoded (see DrawAtWidth).
            var rented = new List<byte[]>();
            byte[] Rent(int length)
            {
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
                rented.Add(buffer);
                return buffer;
            }
            var read = prepared.Inputs.AssetFiles.Concat(prepared.Inputs.FontFiles).Concat(evaluated.TemplateFiles).Select(Path.GetFullPath).ToHashSet(StringComparer.OrdinalIgnoreCase);
            // Encodes started as soon as their frame is drawn (see Encode); each is waited for before the frames go back.
            var toEncode = new List<(PlannedVariant Variant, RenderReason Reason, string Key, IDisposable? Lease, Task<BudgetSearch.Result> Encoding)>();
            try
            {
                foreach (var (variant, reason) in mine)
                {
                    var key = ContentHash.OfParts(keyBase, variant.Signature);
                    // The key is known only now (it covers the fonts and images the layout used): ask the remote cache before drawing.
                    if (context.Fetch(key, variant) is { } cached)
                    {
                        written[variant.Path] = Fetched(card, variant, reason, key, cached, old, read);
                        continue;
                    }
                    // Another process may be drawing this very output (a hook server replica): wait for it, then take its.
                    var (lease, later) = context.Cache?.Claim(key) ?? (null, null);
                    if (later is not null)
                    {
                        written[variant.Path] = Fetched(card, variant, reason, key, later, old, read);
                        continue;
                    }
                    leases.Add(lease);
                    if (!drawn.TryGetValue(variant.Width, out var pixels))
                    {
                        pixels = _clock.Time(BuildStage.Draw, () => prepared.DrawAtWidth(variant.Width, Rent));
                        drawn[variant.Width] = pixels;
                    }
                    toEncode.Add((variant, reason, key, lease, Encode(pixels, variant)));
                }
            }
            catch
            {
                // An encode still reading a frame when a later frame's drawing threw ends before the frames go back.
                Release(toEncode.Select(e => e.Encoding), rented);
                throw;
            }
            handedOn = true;
            return () => Finish(card, work, () =>
            {
                try
                {
                    // Every result is taken, in variant order, before anything is written: the first failure in that order
                    // is rethrown as thrown, and the finally below waits for the encodes still running.
                    var encoded = toEncode.Select(e => e.Encoding.GetAwaiter().GetResult()).ToArray();
                    for (var i = 0; i < toEncode.Count; i++)
                    {
                        var (variant, reason, key, lease, _) = toEncode[i];
                        if (encoded[i].OverBudget)
                        {
                            _log.Report(new Diagnostic(DiagnosticSeverity.Warning, DiagnosticCodes.OverBudget,
                                $"{variant.Path} is {encoded[i].Bytes.Length} bytes at the floor quality {encoded[i].Quality}, over its budget of {variant.MaxBytes} bytes", card.Item.SourceFile, card.Item.Line, Item: card.Name));
                        }
                        var record = _clock.Time(BuildStage.Write, () => Write(variant, key, encoded[i].Bytes, encoded[i].Quality, card.RecordKey, old, read));
                        written[variant.Path] = record;
                        _log.Report(new OutputOutcome(variant.Path, card.Name, OutputStatus.Rendered, reason, variant.Width, variant.Height, variant.Encode.MimeType, record.Bytes, key));
                        context.Cache?.Store(key, encoded[i].Bytes, encoded[i].Quality, variant.Width, variant.Height, lease);
                        // The uploader releases it once the output is stored: not before, or a waiting process would find nothing.
                        leases.Remove(lease);
                    }
                }
                finally
                {
                    Release(toEncode.Select(e => e.Encoding), rented);
                }
                context.Manifest.Set(card, RecordMaker.Item(card, old, work.NeededOf(card), written, setHash[..16], context.Paths));
                if (copies.Count == 0)
                {
                    // After its outputs (one queue, in order): whoever finds the set finds what it leads to.
                    _whole.Store(preClaim, set, mine.Select(m => (m.Variant.Signature, written[m.Variant.Path])));
                }
                // Only now: had this card failed, its copies would have failed with it.
                CopyOrQueue(new CardCopies(work, templates, CardRendered: true, [.. copies]));
            }, leases);
        }
        catch (Exception ex)
        {
            Fail(card, work, ex);
            return null;
        }
        finally
        {
            if (!handedOn)
            {
                leases.ForEach(l => l?.Dispose());
                work.Settle();
            }
        }
    }

    /// <summary>
    /// Copies a card's outputs of other cards' markup now when every owner is settled (the usual case once the first
    /// cards of a catalogue are drawn), else queues them for the copy stage after rendering.
    /// </summary>
    private void CopyOrQueue(CardCopies copies)
    {
        if (copies.Copies.Length > 0 && copies.Copies.All(c => c.Owner.Settled))
        {
            _clock.Time(BuildStage.Copy, () => copier.CopyNow(copies));
            return;
        }
        duplicates.AddCopies(copies);
    }

    /// <summary>Runs the second half of a card (<paramref name="finish"/>), failing the card on an exception, and releases its render locks.</summary>
    private void Finish(PlannedCard card, OutputWork work, Action finish, List<IDisposable?> leases)
    {
        try
        {
            finish();
        }
        catch (Exception ex)
        {
            Fail(card, work, ex);
        }
        finally
        {
            leases.ForEach(l => l?.Dispose());
            work.Settle();
        }
    }

    /// <summary>Fails the card's outputs with the error an exception means: the input's, a file's or the decoder's, or our bug (never the end of the process).</summary>
    private void Fail(PlannedCard card, OutputWork work, Exception ex)
    {
        var error = ex switch
        {
            BuildInputException input => input.Diagnostic with { Item = card.Name, File = input.Diagnostic.File ?? card.Item.SourceFile },
            IOException or UnauthorizedAccessException or NetVips.VipsException => new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.RenderFailed, ex.Message, card.Item.SourceFile, card.Item.Line, Item: card.Name),
            // Whatever else escapes is our bug, not the user's input.
            _ => new Diagnostic(DiagnosticSeverity.Error, DiagnosticCodes.InternalError, InternalError.Describe(ex, "rendering this card"), card.Item.SourceFile, card.Item.Line, Item: card.Name),
        };
        _log.Fail(work, card, work.NeededOf(card).Keys, error, null);
    }

    /// <summary>Waits for a card's encodes (their failures are the card's already) and returns its frames to the pool.</summary>
    private static void Release(IEnumerable<Task<BudgetSearch.Result>> encodes, List<byte[]> rented)
    {
        try
        {
            Task.WaitAll([.. encodes]);
        }
        catch (AggregateException)
        {
            // Moot: the card has failed with the first failure already.
        }
        rented.ForEach(b => System.Buffers.ArrayPool<byte>.Shared.Return(b));
    }

    /// <summary>
    /// A variant's encoding, started now on the build's encoder threads, so it runs while this worker draws the next
    /// width and while the other variants encode. libvips runs each save on a worker thread of its own and hands it
    /// strips through locks: one encode after another left a core idle for a sixth of the build (the peer bench's two
    /// workers were busy 83% of the time). The encode stage is timed on the thread that encodes, so it stays the time
    /// spent encoding.
    /// </summary>
    private Task<BudgetSearch.Result> Encode(RenderedCard pixels, PlannedVariant variant) =>
        encoders.Run(() => _clock.Time(BuildStage.Encode, () => BudgetedEncoder.Encode(pixels, variant)));

    private VariantRecord Fetched(PlannedCard card, PlannedVariant variant, RenderReason reason, string key, Caching.CachedOutput cached, ItemRecord? old, HashSet<string> read)
    {
        var record = _clock.Time(BuildStage.Write, () => Write(variant, key, cached.Bytes, cached.Quality, card.RecordKey, old, read));
        _log.Report(new OutputOutcome(variant.Path, card.Name, OutputStatus.Fetched, reason, variant.Width, variant.Height, variant.Encode.MimeType, record.Bytes, key));
        return record;
    }

    private VariantRecord Write(PlannedVariant variant, string key, byte[] bytes, int quality, string recordKey, ItemRecord? old, HashSet<string> read)
    {
        if (context.Writer.Target(variant.Path) is var target && read.Contains(target))
        {
            throw BuildInputException.Error(DiagnosticCodes.OutputOverSource, $"'{variant.Path}' would overwrite {target}, which this card reads; BuildImages never overwrites a source (change the output pattern or outputDir)");
        }
        var (file, sha) = context.Writer.Write(recordKey, variant.Path, bytes, OutputWork.Previous(old, variant.Path));
        return RecordMaker.Variant(variant, file, sha, key, bytes.Length, quality, variant.Width, variant.Height);
    }

    private SortedDictionary<string, string> Hashes(IEnumerable<string> files)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            // The same few template, font and image keys for every card: shared, not one string per card.
            var key = SharedStrings.Get(context.Paths.ToKey(file));
            result[key] = context.Hashes.Hash(key) ?? "missing";
        }
        // Cards of one template read the same files: one map for each set of them (never changed once made), not one per
        // card, which a copy waiting for its original holds until the copies are made.
        var id = string.Join('\n', result.Select(p => p.Key + "\t" + p.Value));
        if (_fileSets.TryGetValue(id, out var shared))
        {
            return shared;
        }
        if (_fileSets.Count < 256)
        {
            _fileSets[id] = result;
        }
        return result;
    }
}
