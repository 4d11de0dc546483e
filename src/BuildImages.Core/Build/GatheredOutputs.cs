using BuildImages.Core.Manifest;

namespace BuildImages.Core.Build;

/// <summary>
/// What a new up-to-date record lists besides the plan's data files, gathered from the plan and the manifest's records:
/// the files the records' input sets name, and every planned output as recorded (written from the outcome log).
/// </summary>
internal sealed record GatheredOutputs(List<(string Key, FileRecord File)> Files, UpToDateOutputs Outputs);
