using System.Diagnostics;

namespace Relais.Cli.Tests;

/// <summary>The <c>./relais</c> script: builds once, and a second call with nothing changed starts the built program without rebuilding.</summary>
public sealed class EntryScriptTests
{
    [Fact]
    public void The_second_call_does_not_rebuild()
    {
        var root = RepositoryRoot();
        var first = Run(root);
        Assert.Equal(0, first.Exit);
        var stamp = Path.Combine(root, ".build", "cli", ".stamp");
        var built = File.GetLastWriteTimeUtc(stamp);

        var second = Run(root);
        Assert.Equal(0, second.Exit);
        Assert.StartsWith("relais ", second.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("building", second.Err, StringComparison.Ordinal);
        Assert.Equal(built, File.GetLastWriteTimeUtc(stamp));
    }

    private static (int Exit, string Out, string Err) Run(string root)
    {
        var start = new ProcessStartInfo(Path.Combine(root, "relais"), "--version")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(5)), "./relais did not finish within 5 minutes");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "relais")) && File.Exists(Path.Combine(dir.FullName, "Relais.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (with ./relais) was not found above " + AppContext.BaseDirectory);
    }
}
