using System.Diagnostics;

namespace Relais.Server.Tests.Security;

/// <summary>
/// A real, small filesystem (tmpfs of a few hundred KiB) mounted on a directory, so "disk full" is the kernel's
/// ENOSPC and not a simulation. Needs the right to mount (root in a container that allows it); see
/// <see cref="MountFactAttribute"/> for the skip.
/// </summary>
internal sealed class SmallFilesystem : IDisposable
{
    private SmallFilesystem(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="kib"/> KiB on <paramref name="path"/> (created); null with the reason when it cannot.</summary>
    public static (SmallFilesystem? Mounted, string? Why) TryMount(string path, int kib)
    {
        Directory.CreateDirectory(path);
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={kib}k,mode=0755", "tmpfs", path);
        return code == 0 ? (new SmallFilesystem(path), null) : (null, $"mount -t tmpfs failed ({code}): {error.Trim()}");
    }

    public void Dispose() => Run("umount", "-l", Path);

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}

/// <summary>A fact skipped, saying why, where a tmpfs cannot be mounted (not root, or a container without the right).</summary>
public sealed class MountFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Why = new(() =>
    {
        var probe = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "relais-mount-probe-" + Guid.NewGuid().ToString("N"));
        var (mounted, why) = SmallFilesystem.TryMount(probe, 64);
        mounted?.Dispose();
        try
        {
            Directory.Delete(probe);
        }
        catch (IOException)
        {
            // Still busy: left for the temp dir's cleaner.
        }

        return why;
    });

    public MountFactAttribute()
    {
        if (Why.Value is { } why)
        {
            Skip = "cannot mount a small filesystem to fill up here, so disk full is not tested: " + why;
        }
    }
}
