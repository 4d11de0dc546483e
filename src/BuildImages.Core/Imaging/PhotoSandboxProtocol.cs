using BuildImages.Core.Encoders;
using BuildImages.Core.Markup;
using BuildImages.Core.Assets;

namespace BuildImages.Core.Imaging;

/// <summary>
/// The messages between a build and its photo sandbox process, in a small binary form on stdin and stdout (the outputs
/// are sent as they are). A request is a file's path and stamp with its variants, settings and focal point; a reply is
/// the outputs, or the reason the file was refused or could not be read.
/// </summary>
internal static class PhotoSandboxProtocol
{
    private const int Magic = 0x42495053; // "BIPS"

    private enum Reply : byte
    {
        Done = 0,
        Rejected = 1,
        Failed = 2,
        Unreadable = 3,
    }

    internal static void WriteRequest(BinaryWriter w, PhotoFile source, IReadOnlyList<PhotoRequest> requests, PhotoSettings settings, (double X, double Y)? focus)
    {
        w.Write(Magic);
        w.Write(requests.Count);
        foreach (var r in requests)
        {
            WriteNullable(w, r.Shape.Width);
            WriteNullable(w, r.Shape.MaxSide);
            w.Write(r.Shape.Aspect.HasValue);
            w.Write(r.Shape.Aspect ?? 0);
            w.Write((int)r.Shape.Crop);
            w.Write(r.Shape.Subsample);
            w.Write((int)r.Encode.Format);
            w.Write(r.Encode.Quality);
            WriteNullable(w, r.Encode.Effort);
            w.Write((int)r.Encode.Profile);
            w.Write(r.MaxBytes.HasValue);
            w.Write(r.MaxBytes ?? 0);
            w.Write(r.MinQuality);
        }
        var bg = settings.Background;
        w.Write(bg.R);
        w.Write(bg.G);
        w.Write(bg.B);
        w.Write(bg.A);
        w.Write(settings.KeepMetadata);
        w.Write(settings.MaxPixels);
        w.Write(settings.RefuseAnimated);
        w.Write(settings.TimeLimit.Ticks);
        w.Write(settings.FastShrink);
        w.Write(focus.HasValue);
        w.Write(focus?.X ?? 0);
        w.Write(focus?.Y ?? 0);
        w.Write(source.Path);
        w.Write(source.Size);
        w.Write(source.ModifiedTicks);
        w.Flush();
    }

    /// <summary>Null at the end of the input (the build closed the pipe).</summary>
    internal static (PhotoFile Source, List<PhotoRequest> Requests, PhotoSettings Settings, (double X, double Y)? Focus)? ReadRequest(BinaryReader r)
    {
        int magic;
        try
        {
            magic = r.ReadInt32();
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        if (magic != Magic)
        {
            throw new InvalidDataException("not a photo sandbox request");
        }
        var count = r.ReadInt32();
        var requests = new List<PhotoRequest>(count);
        for (var i = 0; i < count; i++)
        {
            var width = ReadNullable(r);
            var maxSide = ReadNullable(r);
            var hasAspect = r.ReadBoolean();
            var aspect = r.ReadDouble();
            var crop = (PhotoCrop)r.ReadInt32();
            var subsample = r.ReadBoolean();
            var shape = new PhotoShape(width, maxSide, hasAspect ? aspect : null, crop, subsample);
            var encode = new EncodeOptions((ImageFormat)r.ReadInt32(), r.ReadInt32(), ReadNullable(r), (EncoderProfile)r.ReadInt32());
            var hasMax = r.ReadBoolean();
            var max = r.ReadInt64();
            requests.Add(new PhotoRequest(shape, encode, hasMax ? max : null, r.ReadInt32()));
        }
        var settings = new PhotoSettings
        {
            Background = new Rgba(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble()),
            KeepMetadata = r.ReadBoolean(),
            MaxPixels = r.ReadInt64(),
            RefuseAnimated = r.ReadBoolean(),
            TimeLimit = TimeSpan.FromTicks(r.ReadInt64()),
            FastShrink = r.ReadBoolean(),
        };
        var hasFocus = r.ReadBoolean();
        var fx = r.ReadDouble();
        var fy = r.ReadDouble();
        var source = new PhotoFile(r.ReadString(), r.ReadInt64(), r.ReadInt64());
        return (source, requests, settings, hasFocus ? (fx, fy) : null);
    }

    internal static void WriteDone(BinaryWriter w, ProcessedFile file)
    {
        w.Write((byte)Reply.Done);
        w.Write(file.SourceWidth);
        w.Write(file.SourceHeight);
        w.Write(file.Warnings.Count);
        foreach (var warning in file.Warnings)
        {
            w.Write(warning);
        }
        w.Write(file.Outputs.Count);
        foreach (var o in file.Outputs)
        {
            w.Write(o.Width);
            w.Write(o.Height);
            w.Write(o.Quality);
            w.Write(o.OverBudget);
            w.Write(o.Bytes.Length);
            w.Write(o.Bytes);
        }
        w.Flush();
    }

    /// <summary>The file was refused by the pipeline (its format, its pixels), or the pipeline failed on it (our bug).</summary>
    internal static void WriteRefusal(BinaryWriter w, bool rejected, string message) => WriteReason(w, rejected ? Reply.Rejected : Reply.Failed, message);

    /// <summary>The file could not be read as it was hashed: gone, not readable, or changed since.</summary>
    internal static void WriteUnreadable(BinaryWriter w, string message) => WriteReason(w, Reply.Unreadable, message);

    private static void WriteReason(BinaryWriter w, Reply kind, string message)
    {
        w.Write((byte)kind);
        w.Write(message);
        w.Flush();
    }

    /// <summary>The child answered that the pipeline failed on this file (our bug, not the file's): the message says where.</summary>
    internal sealed class FailedReply(string message) : Exception(message);

    /// <summary>The child could not read the file as the build hashed it (the message names it): the build's own I/O error.</summary>
    internal sealed class UnreadableReply(string message) : IOException(message);

    /// <summary>The outputs; throws <see cref="ImageRejectedException"/> for a refused file, <see cref="UnreadableReply"/> for one it could not read, <see cref="FailedReply"/> for a failure.</summary>
    internal static ProcessedFile ReadReply(BinaryReader r)
    {
        var kind = (Reply)r.ReadByte();
        if (kind != Reply.Done)
        {
            var message = r.ReadString();
            throw kind switch
            {
                Reply.Rejected => new ImageRejectedException(message),
                Reply.Unreadable => new UnreadableReply(message),
                _ => new FailedReply(message),
            };
        }
        var width = r.ReadInt32();
        var height = r.ReadInt32();
        var warnings = new List<string>(r.ReadInt32());
        for (var i = warnings.Capacity; i > 0; i--)
        {
            warnings.Add(r.ReadString());
        }
        var outputs = new List<ProcessedPhoto>(r.ReadInt32());
        for (var i = outputs.Capacity; i > 0; i--)
        {
            var (w, h, q, over) = (r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadBoolean());
            outputs.Add(new ProcessedPhoto(r.ReadBytes(r.ReadInt32()), w, h, q, over));
        }
        return new ProcessedFile(outputs, width, height, warnings);
    }

    private static void WriteNullable(BinaryWriter w, int? value)
    {
        w.Write(value.HasValue);
        w.Write(value ?? 0);
    }

    private static int? ReadNullable(BinaryReader r)
    {
        var has = r.ReadBoolean();
        var value = r.ReadInt32();
        return has ? value : null;
    }
}
