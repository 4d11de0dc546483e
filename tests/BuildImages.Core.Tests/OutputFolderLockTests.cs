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

        var ex = Assert.ThrowsAny<BuildInputException>(() => _site.Build(new BuildOptions { Parallelism = 2, LockTimeout = TimeSpan.FromMilliseconds(300) }));

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
        var build = Task.Run(() => _site.Build(new BuildOptions { Parallelism = 2, LockTimeout = TimeSpan.FromMinutes(5) }, observer));
        // Released only once the build has reached the lock and said so: a busy machine only makes this take longer.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!observer.Said("waiting for another build") && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(20);
        }
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

        var ex = Assert.ThrowsAny<BuildInputException>(() => _site.Build(new BuildOptions { Parallelism = 2, LockTimeout = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal("BI0035", ex.Diagnostic.Code);
    }

    [Fact]
    public void CancellingABuildThatWaitsForTheLockEndsItAtOnceWithItsOwnError()
    {
        using var held = OutputFolderLock.Acquire(_site.Site, TimeSpan.FromSeconds(1));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var ex = Assert.ThrowsAny<BuildInputException>(() => _site.Build(new BuildOptions { Parallelism = 2, LockTimeout = TimeSpan.FromMinutes(5) }, cancellation: cancel.Token));

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

    [Fact]
    public void TheLockLivesInAFolderOfTheUsersOwnThatOnlyTheUserCanEnterAndIsRemovedWhenReleased()
    {
        var path = OutputFolderLock.PathFor(_site.Site);
        var folder = Path.GetDirectoryName(path)!;
        using (OutputFolderLock.Acquire(_site.Site, TimeSpan.Zero))
        {
            Assert.True(File.Exists(path));
            Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(path + ".pid"));
        }

        Assert.False(Path.GetFullPath(folder).StartsWith(Path.Combine(Path.GetTempPath(), "buildimages-locks"), StringComparison.Ordinal), "not the shared folder every user once had");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".pid"));
    }

    [Fact]
    public void ALockFolderOthersCanWriteIntoOrALinkIsRefusedNamingIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var open = Path.Combine(_site.Root, "open-locks");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0x1FF);
        var linked = Path.Combine(_site.Root, "linked-locks");
        var target = Directory.CreateDirectory(Path.Combine(_site.Root, "elsewhere"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateSymbolicLink(linked, target.FullName);

        var tooOpen = Assert.ThrowsAny<BuildInputException>(() => UserLockFolder.Prepare(open));
        var link = Assert.ThrowsAny<BuildInputException>(() => UserLockFolder.Prepare(linked));

        Assert.Equal("BI0033", tooOpen.Diagnostic.Code);
        Assert.Equal(open, tooOpen.Diagnostic.File);
        Assert.Contains("open to other users (mode 777)", tooOpen.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("is a symbolic link", link.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(target.FullName));
        Assert.Equal(UserLockFolder.Prepare(target.FullName), target.FullName);
    }

    [Fact]
    public void ThreadsTakingAndReleasingTheLockNeverHoldItTogetherAlthoughReleasingRemovesTheFile()
    {
        var inside = 0;
        var overlaps = 0;
        var taken = 0;
        var threads = Enumerable.Range(0, 3).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                using var held = OutputFolderLock.Acquire(_site.Site, TimeSpan.FromMinutes(1));
                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }
                Interlocked.Increment(ref taken);
                Thread.Yield();
                Interlocked.Decrement(ref inside);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(60, taken);
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public void AnOpenedLockFileThatWasRemovedOrReplacedMeanwhileIsNotTheLock()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var path = Path.Combine(_site.Root, "a.lock");
        using var first = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Assert.True(OutputFolderLock.StillNamedBy(first, path));

        File.Delete(path);
        Assert.False(OutputFolderLock.StillNamedBy(first, path));

        using var second = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Assert.False(OutputFolderLock.StillNamedBy(first, path));
        Assert.True(OutputFolderLock.StillNamedBy(second, path));
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

        public bool Said(string start)
        {
            lock (Messages)
            {
                return Messages.Any(m => m.StartsWith(start, StringComparison.Ordinal));
            }
        }
    }
}
