using System.Diagnostics;
using System.Globalization;
using BuildImages.Core.Encoders;
using BuildImages.Core.Imaging;
using NetVips;

namespace BuildImages.Benchmarks;

/// <summary>
/// <c>--photo-decode DIR PEERS</c>: where the <c>ai-scene</c> time goes, on one thread, over the first 30 photos of DIR
/// (made by <c>--photos</c>): the system libvips decoding each at 1/4 scale, our whole pipeline
/// (<see cref="PhotoProcessor.ProcessAll"/>), then sharp's decode and whole pipeline (<c>Photos/sharp-decode.mjs</c>).
/// </summary>
internal static class PhotoDecodeBench
{
    internal static int Run(string[] args, TextWriter o)
    {
        var dir = Path.GetFullPath(args[0]);
        var peers = Path.GetFullPath(args[1]);
        Core.Native.NativeStack.EnsureLoaded();
        var files = Directory.GetFiles(dir, "*.jpg").Order(StringComparer.Ordinal).Take(30).Select(File.ReadAllBytes).ToList();
        double PerFile(Action<byte[]> work)
        {
            var clock = Stopwatch.StartNew();
            files.ForEach(work);
            return clock.Elapsed.TotalMilliseconds / files.Count;
        }
        var shape = new PhotoShape(null, 768, null, PhotoCrop.Attention);
        PhotoRequest[] scene = [new(shape, new EncodeOptions(ImageFormat.Jpeg, 85), null, 40)];
        for (var round = 0; round < 5; round++)
        {
            var decode = PerFile(f =>
            {
                using var image = Image.JpegloadBuffer(f, shrink: 4);
                using var pixels = image.CopyMemory();
            });
            var whole = PerFile(f => PhotoProcessor.ProcessAll(f, scene, new PhotoSettings()));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"libvips {NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}: decode at 1/4 {decode:0.0} ms; whole ai-scene {whole:0.0} ms"));
        }
        var script = Path.Combine(BenchSupport.RepoRoot(), "tests", "BuildImages.Benchmarks", "Photos", "sharp-decode.mjs");
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(dir);
        start.Environment["NODE_PATH"] = Path.Combine(peers, "node_modules");
        using var node = Process.Start(start)!;
        o.Write(node.StandardOutput.ReadToEnd());
        node.WaitForExit();
        return node.ExitCode;
    }
}
