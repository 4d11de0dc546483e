using System.Text;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Assets;

namespace BuildImages.Core.Imaging;

/// <summary>
/// The child side of <see cref="PhotoSandbox"/>: reads requests from the build until it closes the pipe, right-sizes
/// each file, and answers. Nothing but replies goes to the output stream.
/// </summary>
internal static class PhotoSandboxServer
{
    /// <summary>For the tests: a file holding this marker makes the child crash as a faulty decoder would.</summary>
    internal const string CrashMarkerVariable = "BUILDIMAGES_SANDBOX_TEST_CRASH_MARKER";

    internal static int Run(Stream input, Stream output)
    {
        Native.NativeStack.EnsureLoaded();
        var marker = Environment.GetEnvironmentVariable(CrashMarkerVariable) is { Length: > 0 } m ? Encoding.ASCII.GetBytes(m) : null;
        using var reader = new BinaryReader(input);
        using var writer = new BinaryWriter(output);
        while (PhotoSandboxProtocol.ReadRequest(reader) is var (file, requests, settings, focus))
        {
            // The reply is written outside the catches: a broken pipe to the build ends this process, never a second reply.
            ProcessedFile done;
            try
            {
                if (marker is not null && file.Read().AsSpan().IndexOf(marker) >= 0)
                {
                    Environment.FailFast("simulated decoder crash (test marker)");
                }
                done = PhotoProcessor.ProcessAll(file, requests, settings, focus);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                PhotoSandboxProtocol.WriteUnreadable(writer, ex.Message);
                continue;
            }
            catch (ImageRejectedException ex)
            {
                PhotoSandboxProtocol.WriteRefusal(writer, rejected: true, ex.Message);
                continue;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                PhotoSandboxProtocol.WriteRefusal(writer, rejected: false, InternalError.Describe(ex, "right-sizing this photo"));
                continue;
            }
            PhotoSandboxProtocol.WriteDone(writer, done);
        }
        return 0;
    }
}
