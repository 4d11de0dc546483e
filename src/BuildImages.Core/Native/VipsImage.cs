using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

/// <summary>One reference to a <c>VipsImage</c>.</summary>
internal sealed class VipsImage : IDisposable
{
    private readonly GObjectHandle _handle;

    internal VipsImage(IntPtr owned) => _handle = new GObjectHandle(owned);

    internal IntPtr Pointer => _handle.DangerousGetHandle();
    internal int Width => VipsApi.vips_image_get_width(Pointer);
    internal int Height => VipsApi.vips_image_get_height(Pointer);
    internal int Bands => VipsApi.vips_image_get_bands(Pointer);
    internal int Format => VipsApi.vips_image_get_format(Pointer);

    /// <summary>Wraps interleaved 8-bit pixels; libvips copies them, so the span need not stay pinned.</summary>
    internal static unsafe VipsImage FromPixels(ReadOnlySpan<byte> pixels, int width, int height, int bands)
    {
        fixed (byte* p = pixels)
        {
            var ptr = VipsApi.vips_image_new_from_memory_copy((IntPtr)p, (nuint)pixels.Length, width, height, bands, VipsApi.FORMAT_UCHAR);
            return ptr == IntPtr.Zero ? throw new VipsException(VipsErrors.Take()) : new VipsImage(ptr);
        }
    }

    /// <summary>Runs the whole pipeline and copies the interleaved pixels out.</summary>
    internal byte[] ToPixels()
    {
        var data = VipsApi.vips_image_write_to_memory(Pointer, out var size);
        if (data == IntPtr.Zero)
        {
            throw new VipsException(VipsErrors.Take());
        }
        try
        {
            var bytes = new byte[(int)size];
            Marshal.Copy(data, bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            GObjectApi.g_free(data);
        }
    }

    public void Dispose() => _handle.Dispose();
}

/// <summary>A libvips operation failed; the message is libvips' own.</summary>
public sealed class VipsException(string message) : Exception(message);
