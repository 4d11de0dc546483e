using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

internal static partial class VipsApi
{
    internal const int FORMAT_UCHAR = 0;

    [LibraryImport(NativeLibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)] internal static partial int vips_init(string argv0);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial IntPtr vips_version_string();
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial void vips_cache_set_max(int max);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial void vips_concurrency_set(int concurrency);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial void vips_thread_shutdown();
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial IntPtr vips_error_buffer();
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial void vips_error_clear();
    [LibraryImport(NativeLibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr vips_operation_new(string name);
    [LibraryImport(NativeLibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_object_get_argument(IntPtr obj, string name, out IntPtr pspec, out IntPtr argumentClass, out IntPtr argumentInstance);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial IntPtr vips_cache_operation_build(IntPtr operation);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial void vips_object_unref_outputs(IntPtr obj);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial IntPtr vips_image_new_from_memory_copy(IntPtr data, nuint size, int width, int height, int bands, int format);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial IntPtr vips_image_write_to_memory(IntPtr image, out nuint size);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial int vips_image_get_width(IntPtr image);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial int vips_image_get_height(IntPtr image);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial int vips_image_get_bands(IntPtr image);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial int vips_image_get_format(IntPtr image);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial IntPtr vips_blob_copy(IntPtr data, nuint length);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial IntPtr vips_blob_get(IntPtr blob, out nuint length);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial void vips_area_unref(IntPtr area);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial IntPtr vips_foreign_find_load_buffer(IntPtr data, nuint size);
    [LibraryImport(NativeLibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)] internal static partial int vips_enum_from_nick(string domain, nint type, string nick);
    [LibraryImport(NativeLibraryNames.Vips)] internal static partial int vips_value_set_array_double(ref GValue value, [In] double[] array, int n);
}

/// <summary>Reads and clears libvips' process-wide error buffer.</summary>
internal static class VipsErrors
{
    internal static string Take()
    {
        var text = Marshal.PtrToStringUTF8(VipsApi.vips_error_buffer())?.Trim() ?? string.Empty;
        VipsApi.vips_error_clear();
        return text.Length == 0 ? "libvips reported an error without text" : text;
    }
}
