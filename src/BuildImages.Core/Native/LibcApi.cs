using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

/// <summary>The one libc call the no-op path makes per output: statx, whose buffer layout is the same on every Linux architecture.</summary>
internal static unsafe partial class LibcApi
{
    internal const int AtFdCwd = -100;
    internal const uint StatxSize = 0x200;
    internal const uint StatxMtime = 0x40;

    [LibraryImport(NativeLibraryNames.Libc, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statx(int dirfd, string path, int flags, uint mask, StatxBuffer* buffer);
}

/// <summary>struct statx (linux/stat.h): 256 bytes; the size at 40, the modification time at 112 (seconds, then nanoseconds).</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    [FieldOffset(0)] internal uint Mask;
    [FieldOffset(28)] internal ushort Mode;
    [FieldOffset(40)] internal ulong Size;
    [FieldOffset(112)] internal long MtimeSeconds;
    [FieldOffset(120)] internal uint MtimeNanoseconds;
}
