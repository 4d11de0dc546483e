using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

[StructLayout(LayoutKind.Sequential)]
internal struct RsvgRectangle
{
    public double X, Y, Width, Height;
}

internal static partial class RsvgApi
{
    [LibraryImport(NativeLibraryNames.Rsvg)] internal static partial IntPtr rsvg_handle_new_from_data(byte[] data, nuint length, out IntPtr error);
    [LibraryImport(NativeLibraryNames.Rsvg)] internal static partial int rsvg_handle_get_intrinsic_size_in_pixels(GObjectHandle handle, out double width, out double height);
    [LibraryImport(NativeLibraryNames.Rsvg)] internal static partial int rsvg_handle_render_document(GObjectHandle handle, CairoContextHandle cr, ref RsvgRectangle viewport, out IntPtr error);

    /// <summary>librsvg exports its version as data symbols rather than a function.</summary>
    internal static string ReadVersion()
    {
        var lib = NativeLibraryNames.Resolve(NativeLibraryNames.Rsvg, typeof(RsvgApi).Assembly, null);
        if (lib == IntPtr.Zero
            || !NativeLibrary.TryGetExport(lib, "rsvg_major_version", out var major)
            || !NativeLibrary.TryGetExport(lib, "rsvg_minor_version", out var minor)
            || !NativeLibrary.TryGetExport(lib, "rsvg_micro_version", out var micro))
        {
            return "?";
        }
        return $"{Marshal.ReadInt32(major)}.{Marshal.ReadInt32(minor)}.{Marshal.ReadInt32(micro)}";
    }
}
