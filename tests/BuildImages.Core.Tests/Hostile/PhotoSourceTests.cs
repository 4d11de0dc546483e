using System.Text.Json.Nodes;
using BuildImages.Core.Diagnostics;
using NetVips;

namespace BuildImages.Core.Tests.Hostile;

/// <summary>Photo sources are confined and never written; photo names pass the rules card names pass.</summary>
public sealed class PhotoSourceTests : IDisposable
{
    private readonly BuildFixture _site = new();
    private readonly string _outside = Directory.CreateTempSubdirectory("bi-outside-").FullName;

    public PhotoSourceTests() => Native.NativeStack.EnsureLoaded();

    public void Dispose()
    {
        _site.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    private static byte[] Jpeg(int width, int height)
    {
        using var image = Image.Black(width, height, bands: 3).NewFromImage(200, 90, 40).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return image.JpegsaveBuffer();
    }

    private string Photo(string relative, int width = 400, int height = 250)
    {
        var full = Path.Combine(_site.Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, Jpeg(width, height));
        return full;
    }

    private void PhotosJob(string sources = "photos/**/*.jpg", string output = "img", string onError = "fail", string? outputDir = null)
    {
        _site.Config["jobs"] = JsonNode.Parse($$"""
            [{ "name": "photos", "kind": "photos", "sources": "{{sources}}", "output": "{{output}}", "onError": "{{onError}}",
               "variants": [ { "format": "jpeg", "width": 128 } ] }]
            """);
        if (outputDir is not null)
        {
            _site.Config["outputDir"] = outputDir;
        }
        _site.Save();
    }

    private IEnumerable<string> OutputFiles() =>
        Directory.Exists(_site.Site) ? Directory.GetFiles(_site.Site, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_site.Site, f).Replace('\\', '/')).Where(f => !f.StartsWith(".buildimages", StringComparison.Ordinal)) : [];

    [Theory]
    [InlineData("fail")]
    [InlineData("copy-original")]
    public void ALinkToAFileOutsideTheProjectIsRefusedByNameAndNeverReadOrCopied(string onError)
    {
        Photo("photos/good.jpg");
        var secret = Path.Combine(_outside, "id_ed25519");
        File.WriteAllText(secret, "-----BEGIN OPENSSH PRIVATE KEY-----\nnot for the web\n");
        File.CreateSymbolicLink(Path.Combine(_site.Root, "photos", "key.jpg"), secret);
        var picture = Path.Combine(_outside, "elsewhere.jpg");
        File.WriteAllBytes(picture, Jpeg(300, 200));
        File.CreateSymbolicLink(Path.Combine(_site.Root, "photos", "elsewhere.jpg"), picture);
        PhotosJob(onError: onError);

        var report = _site.Build();

        Assert.Equal(2, report.Errors.Count(e => e.Code == "BI0015"));
        Assert.Contains(report.Errors, e => e.Message.Contains("'key.jpg' is a link to " + secret, StringComparison.Ordinal));
        Assert.Equal(["img/good-128.jpg"], OutputFiles().Where(f => f != "images.json").Order(StringComparer.Ordinal));
        Assert.DoesNotContain(OutputFiles(), f => f.Contains("key", StringComparison.Ordinal) || f.Contains("elsewhere", StringComparison.Ordinal));
    }

    [Fact]
    public void ALinkInsideTheProjectAndAFolderListedInAssetsAreRead()
    {
        Photo("photos/good.jpg");
        var picture = Path.Combine(_outside, "shared.jpg");
        File.WriteAllBytes(picture, Jpeg(300, 200));
        File.CreateSymbolicLink(Path.Combine(_site.Root, "photos", "shared.jpg"), picture);
        File.CreateSymbolicLink(Path.Combine(_site.Root, "photos", "again.jpg"), Path.Combine(_site.Root, "photos", "good.jpg"));
        PhotosJob();
        _site.Config["assets"] = new JsonArray(".", _outside);
        _site.Save();

        var report = _site.Build();

        Assert.Equal(0, report.Failed);
        Assert.Equal(["img/again-128.jpg", "img/good-128.jpg", "img/shared-128.jpg"], OutputFiles().Where(f => f != "images.json").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("absolute")]
    [InlineData("dotdot")]
    public void SourcesOutsideTheProjectAreAConfigurationErrorBeforeAnythingIsRead(string kind)
    {
        File.WriteAllBytes(Path.Combine(_outside, "a.jpg"), Jpeg(300, 200));
        var sources = kind == "absolute" ? _outside.Replace('\\', '/') + "/*.jpg" : Path.GetRelativePath(_site.Root, _outside).Replace('\\', '/') + "/*.jpg";
        PhotosJob(sources: sources);

        var ex = Assert.ThrowsAny<BuildInputException>(() => _site.Build());

        Assert.Equal("BI0015", ex.Diagnostic.Code);
        Assert.Equal(_site.ConfigFile, ex.Diagnostic.File);
        Assert.True(ex.Diagnostic.Line > 0);
        Assert.Empty(OutputFiles());
    }

    [Theory]
    [InlineData("photos", "photos/*.jpg", "the photos' own folder")]
    [InlineData("photos/out", "photos/**/*.jpg", "is inside the photos' folder")]
    [InlineData(".", "site/photos/*.jpg", "contains the photos' folder")]
    public void AnOutputFolderThatIsInsideOrContainsItsSourcesIsAnErrorAndNoOriginalIsTouched(string output, string sources, string expected)
    {
        var original = sources.StartsWith("site/", StringComparison.Ordinal) ? Photo("site/photos/a.jpg", 1600, 1000) : Photo("photos/a.jpg", 1600, 1000);
        var before = File.ReadAllBytes(original);
        PhotosJob(sources: sources, output: output, outputDir: output == "." ? "site" : ".");

        var ex = Assert.ThrowsAny<BuildInputException>(() => _site.Build());

        Assert.Equal("BI0026", ex.Diagnostic.Code);
        Assert.Contains(expected, ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(original));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(original)!, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("CON.jpg")]
    [InlineData("a:b.jpg")]
    [InlineData("*.jpg")]
    [InlineData("<script>.jpg")]
    [InlineData("gnp\u202Eevil.jpg")]
    public void APhotoNameTheManifestWouldRefuseFailsThatPhotoBeforeAnythingIsWritten(string name)
    {
        Photo("photos/good.jpg");
        Photo("photos/" + name);
        PhotosJob(sources: "photos/*.jpg");

        var report = _site.Build();
        var again = _site.Build();

        Assert.Single(report.Errors, e => e.Code == "BI0020");
        Assert.Equal(["img/good-128.jpg"], OutputFiles().Where(f => f != "images.json"));
        Assert.DoesNotContain(report.Warnings, w => w.Code == "BI0031");
        Assert.DoesNotContain(again.Warnings, w => w.Code == "BI0031");
        Assert.Equal(0, again.Rendered);
    }

    [Fact]
    public void APhotoNamedInNFDIsWrittenInNFCRecordedAndSkippedNextTimeAndItsNFCTwinCollides()
    {
        Photo("photos/cafe\u0301.jpg");
        PhotosJob(sources: "photos/*.jpg");
        var first = _site.Build();
        var second = _site.Build();

        Assert.Equal(0, first.Failed);
        Assert.Equal(["img/caf\u00e9-128.jpg"], OutputFiles().Where(f => f != "images.json"));
        Assert.Equal(0, second.Rendered);
        Assert.Empty(second.Warnings);

        Photo("photos/caf\u00e9.jpg");
        var twins = _site.Build();
        Assert.Contains(twins.Errors, e => e.Code == "BI0021");
    }

    [Fact]
    public void APhotoWhoseNameIsNotUTF8IsAnErrorNamingItNotASilentSkip()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        Photo("photos/good.jpg");
        var folder = System.Text.Encoding.UTF8.GetBytes(Path.Combine(_site.Root, "photos") + "/");
        var name = folder.Concat(new byte[] { 0x62, 0xE9, 0x2E, 0x6A, 0x70, 0x67, 0 }).ToArray();
        var bytes = Jpeg(300, 200);
        unsafe
        {
            fixed (byte* path = name)
            {
                var fd = Creat(path, 0x1A4);
                Assert.True(fd >= 0);
                fixed (byte* data = bytes)
                {
                    Assert.Equal(bytes.Length, (int)Write(fd, data, (nuint)bytes.Length));
                }
                Close(fd);
            }
        }
        try
        {
            PhotosJob(sources: "photos/*.jpg");

            var report = _site.Build();

            Assert.Contains(report.Errors, e => e.Code == "BI0015" && e.Message.Contains("not valid UTF-8", StringComparison.Ordinal));
            Assert.Equal(["img/good-128.jpg"], OutputFiles().Where(f => f != "images.json"));
        }
        finally
        {
            // .NET cannot name this file to delete it (its name does not survive UTF-16), so the site's own
            // clean-up would leave the folder behind in /tmp.
            unsafe
            {
                fixed (byte* path = name)
                {
                    Unlink(path);
                }
            }
        }
    }

    [Fact]
    public void ACardWhoseOutputWouldBeAnImageItReadsOrAnotherJobsPhotoFailsAndBothStay()
    {
        var logo = Path.Combine(_site.Root, "assets", "logo.png");
        using (var image = Image.Black(24, 24, bands: 3).NewFromImage(10, 200, 10).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb))
        {
            File.WriteAllBytes(logo, image.PngsaveBuffer());
        }
        var photo = Photo("photos/x.jpg");
        var (logoBefore, photoBefore) = (File.ReadAllBytes(logo), File.ReadAllBytes(photo));
        _site.Config["outputDir"] = ".";
        _site.Config["jobs"] = JsonNode.Parse("""
            [
              { "name": "cards", "template": "tpl/mini", "size": "240x126", "output": "assets/{{ slug }}", "variants": [ { "format": "png" } ],
                "data": [ { "slug": "logo", "title": "Draws the logo, then would replace it", "logo": "assets/logo.png" }, { "slug": "fine", "title": "Fine" } ] },
              { "name": "over-photo", "template": "tpl/plain", "size": "200x100", "output": "photos/{{ slug }}", "variants": [ { "format": "jpeg" } ],
                "data": [ { "slug": "x", "title": "Would replace a photo" } ] },
              { "name": "photos", "kind": "photos", "sources": "photos/*.jpg", "output": "img", "variants": [ { "format": "jpeg", "width": 128 } ] }
            ]
            """);
        _site.Save();

        var report = _site.Build();

        Assert.Equal(2, report.Errors.Count(e => e.Code == "BI0026"));
        Assert.Equal(logoBefore, File.ReadAllBytes(logo));
        Assert.Equal(photoBefore, File.ReadAllBytes(photo));
        Assert.True(File.Exists(Path.Combine(_site.Root, "assets", "fine.png")));
        Assert.True(File.Exists(Path.Combine(_site.Root, "img", "x-128.jpg")));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "unlink")]
    private static extern unsafe int Unlink(byte* path);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "creat")]
    private static extern unsafe int Creat(byte* path, int mode);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "write")]
    private static extern unsafe nint Write(int fd, byte* data, nuint count);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
