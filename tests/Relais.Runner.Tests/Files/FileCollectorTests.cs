using Relais.Runner.Files;
using Relais.Runner.Tests.Support;

namespace Relais.Runner.Tests.Files;

public class FileCollectorTests
{
    [Fact]
    public void Collects_directories_recursively_globs_and_exclusions()
    {
        using var dir = new TempDirectory();
        dir.Write("out/app.bin", "1");
        dir.Write("out/tmp/scratch", "2");
        dir.Write("out/lib/x.so", "3");
        dir.Write("logs/a.log", "4");
        dir.Write("logs/deep/b.log", "5");
        dir.Write("src/main.c", "6");

        var found = FileCollector.Collect(dir.Path, "/builds/app", ["out/", "**/*.log", "missing/"], ["out/tmp", "**/b.log"]);

        Assert.Equal(["logs/a.log", "out/", "out/app.bin", "out/lib/", "out/lib/x.so"], found.Entries);
        Assert.Contains(found.Messages, m => m is { IsWarning: true } && m.Text.StartsWith("missing/: no matching files", StringComparison.Ordinal));
        Assert.Contains(found.Messages, m => m.Text == "**/*.log: found 1 matching artifact files and directories");
    }

    [Fact]
    public void Accepts_absolute_paths_inside_the_project_and_refuses_others()
    {
        using var dir = new TempDirectory();
        dir.Write("dist/index.html", "x");

        var found = FileCollector.Collect(dir.Path, "/builds/app", ["/builds/app/dist", "/etc/passwd", "../outside"], []);

        Assert.Equal(["dist/", "dist/index.html"], found.Entries);
        Assert.Equal(2, found.Messages.Count(m => m.IsWarning && m.Text.Contains("not a subpath", StringComparison.Ordinal)));
    }

    [Fact]
    public void Zip_round_trip_keeps_content_modes_links_and_empty_directories()
    {
        using var source = new TempDirectory();
        using var target = new TempDirectory();
        source.Write("bin/run.sh", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(source.Combine("bin/run.sh"), (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(source.Combine("bin/link"), "run.sh");
        Directory.CreateDirectory(source.Combine("bin/empty"));
        var entries = FileCollector.Collect(source.Path, source.Path, ["bin"], []).Entries;

        using var archive = new MemoryStream();
        ZipArchiver.Create(source.Path, entries, archive);
        archive.Position = 0;
        var count = ZipArchiver.Extract(archive, target.Path);

        Assert.Equal(entries.Count, count);
        Assert.Equal("#!/bin/sh\necho hi\n", File.ReadAllText(target.Combine("bin/run.sh")));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(target.Combine("bin/run.sh")));
        Assert.Equal("run.sh", new FileInfo(target.Combine("bin/link")).LinkTarget);
        Assert.True(Directory.Exists(target.Combine("bin/empty")));
    }

    [Fact]
    public void Extraction_ignores_entries_that_would_escape_the_target()
    {
        using var target = new TempDirectory();
        using var archive = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(archive, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var writer = new StreamWriter(zip.CreateEntry("../escaped.txt").Open()))
            {
                writer.Write("x");
            }

            using (var writer = new StreamWriter(zip.CreateEntry("fine.txt").Open()))
            {
                writer.Write("y");
            }
        }

        archive.Position = 0;
        Assert.Equal(1, ZipArchiver.Extract(archive, target.Path));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(target.Path)!, "escaped.txt")));
        Assert.Equal("y", File.ReadAllText(target.Combine("fine.txt")));
    }
}
