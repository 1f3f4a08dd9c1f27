using System.Formats.Tar;
using Relais.Runner.Executors.Docker;

namespace Relais.Runner.Tests.Executors.Docker;

/// <summary>
/// <c>relais serve</c> runs with umask 077 (issue 12), so the runner's staging copy of a checkout is owner-only; in the
/// container, what the owner may read (and run) everyone may, as a checkout under umask 022 has it, so an image's
/// non-root user can still read the files the runner copies in.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WorkspaceTarModeTests
{
    [Fact]
    public void Owner_only_staging_files_go_into_the_container_readable_by_everyone_and_never_writable_by_others()
    {
        using var dir = new TempDirectory("tar-modes");
        Directory.CreateDirectory(Path.Combine(dir.Path, "sub"));
        File.SetUnixFileMode(Path.Combine(dir.Path, "sub"), (UnixFileMode)0b111_000_000);
        File.WriteAllText(Path.Combine(dir.Path, "sub", "data.txt"), "x");
        File.SetUnixFileMode(Path.Combine(dir.Path, "sub", "data.txt"), (UnixFileMode)0b110_000_000);
        File.WriteAllText(Path.Combine(dir.Path, "run.sh"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(dir.Path, "run.sh"), (UnixFileMode)0b111_000_000);

        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            WorkspaceTar.Write(writer, "b/project", dir.Path, ["sub", "sub/data.txt", "run.sh"]);
        }

        tar.Position = 0;
        var modes = new Dictionary<string, int>();
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry() is { } entry)
        {
            modes[entry.Name] = (int)entry.Mode;
        }

        Assert.Equal(0b111_101_101, modes["b/project/sub/"]);
        Assert.Equal(0b110_100_100, modes["b/project/sub/data.txt"]);
        Assert.Equal(0b111_101_101, modes["b/project/run.sh"]);
    }
}
