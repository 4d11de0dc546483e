using System.Diagnostics;
using BuildImages.Benchmarks;

if (args.Length > 0 && args[0] == "--painters")
{
    return PainterBench.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--prepare")
{
    return PrepareBench.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--font-scan")
{
    return FontScanBench.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--encoders")
{
    return EncoderBench.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--photos")
{
    return PhotoBench.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--photo-decode")
{
    return PhotoDecodeBench.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--serve")
{
    return ServeLoadBench.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--serve-flood")
{
    return ServeFloodBench.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--ocr")
{
    return OcrBench.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--font-mutations")
{
    return FontMutationRun.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--site-mutations")
{
    return SiteMutationRun.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--hook-mutations")
{
    return HookMutationRun.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--photo-mutations")
{
    return PhotoMutationRun.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--manifest-format")
{
    return ManifestFormatBench.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--manifest-session")
{
    return ManifestSessionBench.Run(args[1..], Console.Out);
}
if (args.Length > 0 && args[0] == "--batch")
{
    return BatchBench.Run(args[1..], Console.Out);
}
return CardDrawBench.Run(args, Console.Out);
