/* Wine 8 (Debian bookworm) has no bcryptprimitives.dll; the librsvg inside the win-x64 libvips imports ProcessPrng
   from it (Windows 10 and later have it). This stub, built with Debian's gcc-mingw-w64 and put beside the published
   tool, forwards it to RtlGenRandom. Only WindowsUnderWineTests uses it: real Windows never sees this file. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0)
    {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!RtlGenRandom(data, chunk))
        {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
