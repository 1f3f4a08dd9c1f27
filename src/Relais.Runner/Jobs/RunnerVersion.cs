using System.Reflection;
using System.Runtime.InteropServices;

namespace Relais.Runner.Jobs;

/// <summary>The runner's version, revision and platform, for the log header and <c>CI_RUNNER_*</c> variables.</summary>
public static class RunnerVersion
{
    private static readonly string Informational =
        typeof(RunnerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The version, e.g. <c>1.0.0</c>.</summary>
    public static string Version { get; } = Informational.Split('+')[0];

    /// <summary>The source revision (8 characters), or <c>unknown</c>.</summary>
    public static string Revision { get; } = Informational.Contains('+', StringComparison.Ordinal)
        ? Informational.Split('+')[1][..Math.Min(8, Informational.Split('+')[1].Length)]
        : "unknown";

    /// <summary>The platform in Go's form, e.g. <c>linux/amd64</c>.</summary>
    public static string Platform { get; } = OperatingSystemName() + "/" + ArchitectureName();

    /// <summary>The architecture in Go's form: <c>amd64</c>, <c>arm64</c>, ...</summary>
    public static string ArchitectureName() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>The operating system in Go's form: <c>linux</c>, <c>darwin</c>, ...</summary>
    public static string OperatingSystemName() =>
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsWindows() ? "windows" : "unknown";
}
