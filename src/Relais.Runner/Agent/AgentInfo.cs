using System.Runtime.InteropServices;
using Relais.Runner.Jobs;
using Relais.Protocol.Requests;

namespace Relais.Runner.Agent;

/// <summary>The runner's self-description (<c>info</c>) sent with verify, job requests and job updates.</summary>
public static class AgentInfo
{
    /// <summary>The details for a runner with <paramref name="executor"/>; <paramref name="untrustedJobs"/>: it takes untrusted projects' jobs.</summary>
    public static RunnerDetails Details(string executor, bool untrustedJobs = false) => new()
    {
        Name = "relais-runner",
        Version = RunnerVersion.Version,
        Revision = RunnerVersion.Revision,
        Platform = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : "windows",
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "386",
            var other => other.ToString().ToLowerInvariant(),
        },
        Executor = executor,
        Shell = "bash",
        Features = new RunnerFeatures
        {
            Variables = true, Artifacts = true, Cache = true, FallbackCacheKeys = true, Shared = true, UploadMultipleArtifacts = true,
            UploadRawArtifacts = true, Refspecs = true, Masking = true, RawVariables = true, ArtifactsExclude = true, MultiBuildSteps = true,
            TraceReset = true, TraceChecksum = true, TraceSize = true, Cancelable = true, ReturnExitCode = true, CancelGracefully = true,
            TwoPhaseJobCommit = true, UntrustedJobs = untrustedJobs,
        },
    };

    /// <summary>A system id for this runner manager: <c>s_</c> and 12 hex digits, stable for a machine and directory.</summary>
    public static string SystemId(string directory)
    {
        var machine = File.Exists("/etc/machine-id") ? File.ReadAllText("/etc/machine-id").Trim() : Environment.MachineName;
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(machine + "\n" + directory));
        return "s_" + Convert.ToHexStringLower(hash)[..12];
    }
}
