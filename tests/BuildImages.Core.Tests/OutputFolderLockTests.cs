using BuildImages.Core.Build;
using BuildImages.Core.Diagnostics;
using BuildImages.Core.Output;

namespace BuildImages.Core.Tests;

/// <summary>Two builds on one output folder never interleave: the second waits, saying so, or fails clearly after its timeout.</summary>
public sealed class OutputFolderLockTests : IDisposable
{
    private readonly BuildFixture _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void ABuildWhileAnotherHoldsTheLockFailsAfterItsTimeoutAndTouchesNothing()
    {
        using var held = OutputFolderLock.Acquire(_site.Site, TimeSpan.FromSeconds(1));

        var ex = Assert.Throws<CardException>(() => _site.Build(new BuildOptions { Parallelism = 2, LockTimeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal("BI0035", ex.Diagnostic.Code);
        Assert.Equal(_site.Site, ex.Diagnostic.File);
        Assert.Contains($"process {Environment.ProcessId}", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_site.ManifestFile));
        Assert.False(Directory.Exists(Path.Combine(_site.Site, "og")));
    }

    [Fact]
    public async Task ABuildWaitsForTheHolderSaysSoAndThenRuns()
    {
        var held = OutputFolderLock.Acquire(_site.Site, TimeSpan.FromSeconds(1));
        var observer = new MessageObserver();
        var build = Task.Run(() => _site.Build(new BuildOptions { Parallelism = 2, LockTimeout = TimeSpan.FromSeconds(30) }, observer));
        await Task.Delay(400);
        Assert.False(build.IsCompleted);
        held.Dispose();

        var report = await build;

        Assert.Equal(13, report.Rendered);
        Assert.Contains(observer.Messages, m => m.StartsWith("waiting for another build", StringComparison.Ordinal));
    }

    [Fact]
    public void ABuildWithItsManifestElsewhereStillWaitsForTheSameOutputFolder()
    {
        using var held = OutputFolderLock.Acquire(_site.Site, TimeSpan.FromSeconds(1));
        _site.Config["manifest"] = "cache/manifest.json";
        _site.Save();

        var ex = Assert.Throws<CardException>(() => _site.Build(new BuildOptions { Parallelism = 2, LockTimeout = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal("BI0035", ex.Diagnostic.Code);
    }

    [Fact]
    public void CancellingABuildThatWaitsForTheLockEndsItAtOnceWithItsOwnError()
    {
        using var held = OutputFolderLock.Acquire(_site.Site, TimeSpan.FromSeconds(1));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var ex = Assert.Throws<CardException>(() => _site.Build(new BuildOptions { Parallelism = 2, LockTimeout = TimeSpan.FromMinutes(5) }, cancellation: cancel.Token));

        Assert.Equal("BI0035", ex.Diagnostic.Code);
        Assert.StartsWith("cancelled while waiting", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "not the 5-minute timeout");
    }

    [Fact]
    public void TheLockIsFreeAgainAfterABuild()
    {
        _site.Build();
        using var next = OutputFolderLock.Acquire(_site.Site, TimeSpan.Zero);
        Assert.NotNull(next);
    }

    private sealed class MessageObserver : IBuildObserver
    {
        public List<string> Messages { get; } = [];

        public void Planned(int outputs, int toRender)
        {
        }

        public void Output(OutputOutcome outcome)
        {
        }

        public void Diagnostic(Diagnostic diagnostic)
        {
        }

        public void Message(string text)
        {
            lock (Messages)
            {
                Messages.Add(text);
            }
        }
    }
}
