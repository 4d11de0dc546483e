using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

/// <summary>GLib's generic value cell: a GType and two 8-byte data words (24 bytes on 64-bit).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GValue
{
    public nint GType;
    public long Data0;
    public long Data1;
}

internal static partial class GObjectApi
{
    internal const nint G_TYPE_BOOLEAN = 5 << 2;
    internal const nint G_TYPE_INT = 6 << 2;
    internal const nint G_TYPE_ENUM = 12 << 2;
    internal const nint G_TYPE_FLAGS = 13 << 2;
    internal const nint G_TYPE_DOUBLE = 15 << 2;
    internal const nint G_TYPE_STRING = 16 << 2;
    internal const nint G_TYPE_BOXED = 18 << 2;
    internal const nint G_TYPE_OBJECT = 20 << 2;

    [LibraryImport(NativeLibraryNames.GObject)] internal static partial IntPtr g_value_init(ref GValue value, nint gtype);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial void g_value_unset(ref GValue value);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial void g_value_set_boolean(ref GValue value, int v);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial void g_value_set_int(ref GValue value, int v);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial void g_value_set_double(ref GValue value, double v);
    [LibraryImport(NativeLibraryNames.GObject, StringMarshalling = StringMarshalling.Utf8)] internal static partial void g_value_set_string(ref GValue value, string v);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial void g_value_set_enum(ref GValue value, int v);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial void g_value_set_flags(ref GValue value, uint v);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial void g_value_set_object(ref GValue value, IntPtr v);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial void g_value_set_boxed(ref GValue value, IntPtr v);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial IntPtr g_value_get_object(ref GValue value);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial IntPtr g_value_get_boxed(ref GValue value);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial nint g_type_fundamental(nint gtype);
    [LibraryImport(NativeLibraryNames.GObject, StringMarshalling = StringMarshalling.Utf8)] internal static partial void g_object_set_property(IntPtr obj, string name, ref GValue value);
    [LibraryImport(NativeLibraryNames.GObject, StringMarshalling = StringMarshalling.Utf8)] internal static partial void g_object_get_property(IntPtr obj, string name, ref GValue value);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial IntPtr g_object_ref(IntPtr obj);
    [LibraryImport(NativeLibraryNames.GObject)] internal static partial void g_object_unref(IntPtr obj);
    [LibraryImport(NativeLibraryNames.GLib)] internal static partial void g_free(IntPtr mem);
    [LibraryImport(NativeLibraryNames.GLib)] internal static partial void g_error_free(IntPtr error);
    [LibraryImport(NativeLibraryNames.GLib, StringMarshalling = StringMarshalling.Utf8)] internal static partial double g_ascii_strtod(string text, IntPtr end);

    /// <summary>Reads <c>GError.message</c> (after the 4-byte domain and 4-byte code) and frees the error.</summary>
    internal static string TakeError(IntPtr error)
    {
        if (error == IntPtr.Zero)
        {
            return "unknown error";
        }
        var message = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(error, 8)) ?? "unknown error";
        g_error_free(error);
        return message;
    }
}

/// <summary>Owns one GObject reference (pango layouts, contexts, font maps, librsvg handles, vips objects).</summary>
internal sealed class GObjectHandle : SafeHandle
{
    public GObjectHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal GObjectHandle(IntPtr existing) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(existing);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        GObjectApi.g_object_unref(handle);
        return true;
    }
}
