using Relais.Server.Ssh;
using Relais.TestSupport;

namespace Relais.Server.Tests.Ssh;

/// <summary>The root-owned copy of the program sshd runs, and the SSH account's home outside the data folder.</summary>
public sealed class SshRuntimeTests
{
    [Fact]
    public void The_program_folder_is_copied_once_per_build_readable_by_all_and_old_copies_are_pruned()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDirectory("ssh-runtime");
        var bin = dir.Combine("private", "bin");
        Directory.CreateDirectory(Path.Combine(bin, "runtimes"));
        File.WriteAllText(Path.Combine(bin, "relais"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(bin, "relais"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(bin, "runtimes", "lib.so"), "x");
        File.SetUnixFileMode(dir.Combine("private"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var root = dir.Combine("var-lib");

        var staged = SshRuntime.Stage(root, ["/usr/bin/dotnet", Path.Combine(bin, "relais")]);

        Assert.Equal("/usr/bin/dotnet", staged[0]);
        Assert.StartsWith(Path.Combine(root, "cli") + "/", staged[1], StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(staged[1]));
        var library = Path.Combine(Path.GetDirectoryName(staged[1])!, "runtimes", "lib.so");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(library));
        Assert.Null(SshService.Closed(staged[1]) is { } c && c.StartsWith(root, StringComparison.Ordinal) ? c : null);
        Assert.Equal(staged, SshRuntime.Stage(root, ["/usr/bin/dotnet", Path.Combine(bin, "relais")]));

        for (var build = 0; build < 4; build++)
        {
            File.WriteAllText(Path.Combine(bin, "runtimes", "lib.so"), new string('y', build + 2));
            SshRuntime.Stage(root, [Path.Combine(bin, "relais")]);
        }

        Assert.Equal(3, Directory.GetDirectories(Path.Combine(root, "cli")).Length);
    }

    [Fact]
    public void Each_data_folder_has_its_own_home_outside_it()
    {
        using var dir = new TempDirectory("ssh-home");
        var root = dir.Combine("var-lib");

        var first = SshRuntime.HomeFor(root, dir.Combine("a", "data"));

        Assert.StartsWith(Path.Combine(root, "home"), first, StringComparison.Ordinal);
        Assert.Equal(first, SshRuntime.HomeFor(root, dir.Combine("a", "data")));
        Assert.NotEqual(first, SshRuntime.HomeFor(root, dir.Combine("b", "data")));
    }
}
