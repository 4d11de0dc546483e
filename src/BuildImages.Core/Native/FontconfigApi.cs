using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

internal static partial class FontconfigApi
{
    [LibraryImport(NativeLibraryNames.Fontconfig)] internal static partial int FcGetVersion();
    [LibraryImport(NativeLibraryNames.Fontconfig)] internal static partial FontconfigHandle FcInitLoadConfigAndFonts();
    [LibraryImport(NativeLibraryNames.Fontconfig)] internal static partial FontconfigHandle FcConfigCreate();
    [LibraryImport(NativeLibraryNames.Fontconfig, StringMarshalling = StringMarshalling.Utf8)] internal static partial int FcConfigAppFontAddDir(FontconfigHandle config, string dir);
    [LibraryImport(NativeLibraryNames.Fontconfig, StringMarshalling = StringMarshalling.Utf8)] internal static partial int FcConfigAppFontAddFile(FontconfigHandle config, string file);
    [LibraryImport(NativeLibraryNames.Fontconfig)] internal static partial void FcConfigDestroy(IntPtr config);
    [LibraryImport(NativeLibraryNames.Fontconfig, StringMarshalling = StringMarshalling.Utf8)] internal static partial int FcPatternGetString(IntPtr pattern, string obj, int n, out IntPtr value);

    /// <summary>Reads one face of a font file with FreeType; null when the file is not a font FreeType can read.</summary>
    [LibraryImport(NativeLibraryNames.Fontconfig, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr FcFreeTypeQuery(string file, uint id, IntPtr blanks, out int count);
    [LibraryImport(NativeLibraryNames.Fontconfig)] internal static partial void FcPatternDestroy(IntPtr pattern);
}

internal sealed class FontconfigHandle : SafeHandle
{
    public FontconfigHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle() { FontconfigApi.FcConfigDestroy(handle); return true; }
}
