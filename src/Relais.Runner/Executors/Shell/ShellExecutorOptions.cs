namespace Relais.Runner.Executors.Shell;

/// <summary>Settings of the <see cref="ShellExecutor"/>.</summary>
public sealed record ShellExecutorOptions
{
    /// <summary>The builds root on this host; each job gets <c>&lt;BuildsDir&gt;/&lt;project dir name&gt;</c>.</summary>
    public required string BuildsDir { get; init; }

    /// <summary><c>bash</c>, <c>sh</c> or a path; null picks bash, else sh.</summary>
    public string? Shell { get; init; }

    /// <summary>Start the shell as a login shell (<c>-l</c>, reads profiles; slower). Off by default.</summary>
    public bool LoginShell { get; init; }

    /// <summary>How long a cancelled script has between SIGTERM and SIGKILL.</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where the runner makes the host's Docker trust the coordinator's registry CA (<c>ADDRESS/ca.crt</c>), so a
    /// job's <c>docker login $CI_REGISTRY</c> works: <c>/etc/docker/certs.d</c> when the runner runs as root, else null.
    /// </summary>
    public string? HostCertsDir { get; init; } = Relais.Runner.Docker.RegistryCa.DefaultHostCertsDir;

    /// <summary>
    /// Run jobs whose payload requires isolation (<c>relais_isolation_required</c>: an untrusted project's) in the shell
    /// anyway (the runner's <c>allow_untrusted</c>). Off by default: such a job fails at prepare, saying why.
    /// </summary>
    public bool AllowUntrusted { get; init; }
}
