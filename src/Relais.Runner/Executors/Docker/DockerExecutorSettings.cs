using Relais.Runner.Docker;

namespace Relais.Runner.Executors.Docker;

/// <summary>Settings of the <see cref="DockerExecutor"/> (the <c>docker:</c> block of a runner entry).</summary>
public sealed record DockerExecutorSettings
{
    /// <summary>The engine; null reads <c>DOCKER_HOST</c>, <c>DOCKER_TLS_VERIFY</c>, <c>DOCKER_CERT_PATH</c>.</summary>
    public DockerEndpoint? Endpoint { get; init; }

    /// <summary>The runner's staging directory on this host: the checkout, caches and artifacts are made here and moved through the archive API.</summary>
    public required string BuildsDir { get; init; }

    /// <summary>The image of jobs without <c>image:</c>.</summary>
    public string DefaultImage { get; init; } = "busybox:latest";

    /// <summary>The runner's pull policies, tried in order (<c>always</c>, <c>if-not-present</c>, <c>never</c>); default <c>if-not-present</c>.</summary>
    public IReadOnlyList<string> PullPolicies { get; init; } = ["if-not-present"];

    /// <summary>The pull policies a job may ask for (empty: only the runner's own).</summary>
    public IReadOnlyList<string> AllowedPullPolicies { get; init; } = [];

    /// <summary>Globs of the images jobs may use (empty: any).</summary>
    public IReadOnlyList<string> AllowedImages { get; init; } = [];

    /// <summary>Globs of the service images jobs may use (empty: any).</summary>
    public IReadOnlyList<string> AllowedServices { get; init; } = [];

    /// <summary>Run job and service containers privileged.</summary>
    public bool Privileged { get; init; }

    /// <summary>
    /// Instead of <c>--privileged</c> (refused where CAP_SYS_RESOURCE is missing), give privileged containers every
    /// capability but SYS_RESOURCE, no seccomp/apparmor confinement, unmasked system paths, the host cgroup
    /// namespace and <c>/sys/fs/cgroup</c> read-write: enough for Docker-in-Docker.
    /// </summary>
    public bool PrivilegedAsCapabilities { get; init; }

    /// <summary>Capabilities to add.</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];

    /// <summary>Capabilities to drop.</summary>
    public IReadOnlyList<string> CapDrop { get; init; } = [];

    /// <summary>Security options (<c>seccomp=unconfined</c>, …).</summary>
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];

    /// <summary>
    /// Volumes of job and service containers: <c>/host:/path[:ro]</c> binds, <c>name:/path</c> named volumes, and a bare
    /// <c>/path</c>, which is a per-project cache volume kept between jobs (removed by <c>relais runner cleanup --caches</c>).
    /// </summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <summary>tmpfs mounts: path → options (<c>rw,size=64m</c>).</summary>
    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();

    /// <summary><c>/dev/shm</c> size in bytes (0: the engine's default).</summary>
    public long ShmSize { get; init; }

    /// <summary>Memory limit in bytes (0: none).</summary>
    public long Memory { get; init; }

    /// <summary>CPUs (fractional; 0: no limit).</summary>
    public double Cpus { get; init; }

    /// <summary>A network mode for the job container when the job has no services (<c>host</c>, a network name); null: the default bridge.</summary>
    public string? NetworkMode { get; init; }

    /// <summary><c>host:ip</c> entries added to /etc/hosts.</summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    /// <summary>DNS servers.</summary>
    public IReadOnlyList<string> Dns { get; init; } = [];

    /// <summary>Mount the engine's socket (<c>/var/run/docker.sock</c>) into jobs, with a per-job <c>COMPOSE_PROJECT_NAME</c>. Opt-in.</summary>
    public bool MountDockerSocket { get; init; }

    /// <summary>How long to wait for a service's ports (and a DinD daemon) before the script starts anyway.</summary>
    public TimeSpan WaitForServicesTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The reaper removes resources of runs that are not in progress once they are this old (default 1 h).</summary>
    public TimeSpan ReapOlderThan { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often the runner reaps leftovers, after once at start (default 15 min; zero: only at start).</summary>
    public TimeSpan ReapInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Where the runner makes a local engine trust the coordinator's registry CA (<c>ADDRESS/ca.crt</c>), so
    /// <c>image:</c> and <c>services:</c> pull from it: Docker's <c>/etc/docker/certs.d</c> when the runner runs as root,
    /// else null (not written).
    /// </summary>
    public string? HostCertsDir { get; init; } = RegistryCa.DefaultHostCertsDir;

    /// <summary>How long a stopped script has between SIGTERM and SIGKILL.</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(10);
}
