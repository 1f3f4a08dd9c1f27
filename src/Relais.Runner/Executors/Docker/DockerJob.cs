using Relais.Runner.Docker;

namespace Relais.Runner.Executors.Docker;

/// <summary>One job's Docker resources and sync state, kept from prepare to cleanup.</summary>
internal sealed class DockerJob
{
    /// <summary>The path of the builds volume in every container.</summary>
    public const string BuildsMount = "/builds";

    public required JobEnvironment Environment { get; init; }

    /// <summary>The prefix of every resource name: <c>relais-&lt;job id&gt;-&lt;run id&gt;</c>.</summary>
    public required string Prefix { get; init; }

    public required JobPaths Paths { get; init; }

    /// <summary>The job image and its overrides.</summary>
    public required string Image { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public string? User { get; init; }

    /// <summary>The coordinator's registry CA, put into every service and script container; null without one.</summary>
    public RegistryCa? RegistryCa { get; init; }

    /// <summary>The labels of every resource of this job.</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>The per-job volume that holds the builds directory.</summary>
    public string BuildsVolume => Prefix + "-builds";

    /// <summary>The job network (services), or null.</summary>
    public string? Network { get; set; }

    /// <summary>Mounts of the job container (builds volume, cache volumes, user volumes, DinD certificates, the socket).</summary>
    public List<string> Binds { get; } = [];

    /// <summary>Variables the executor adds for scripts (DOCKER_HOST of a DinD service, COMPOSE_PROJECT_NAME).</summary>
    public List<KeyValuePair<string, string>> ExtraEnvironment { get; } = [];

    /// <summary>What the volume holds of the project directory, as of the last sync.</summary>
    public WorkspaceSnapshot ProjectSynced { get; set; } = WorkspaceSnapshot.Empty;

    /// <summary>What the volume holds of the temporary directory, as of the last sync.</summary>
    public WorkspaceSnapshot TempSynced { get; set; } = WorkspaceSnapshot.Empty;

    /// <summary>Stops the CI_DEBUG_SERVICES log followers.</summary>
    public CancellationTokenSource ServiceLogs { get; } = new();

    /// <summary>The running service containers.</summary>
    public List<ServiceContainer> Services { get; } = [];

    /// <summary>How many script containers were made (for names).</summary>
    public int Scripts { get; set; }

    /// <summary>The project directory relative to the builds volume.</summary>
    public string ProjectRelative => Environment.ProjectDirName;
}

/// <summary>A started service: its container, aliases and the ports waited for.</summary>
internal sealed record ServiceContainer(string Id, string Name, string Image, IReadOnlyList<string> Aliases, IReadOnlyList<int> Ports, bool IsDind);

/// <summary>Names and labels of the executor's resources.</summary>
internal static class DockerLabels
{
    /// <summary>On every resource the executor creates.</summary>
    public const string Managed = "relais.managed";

    /// <summary>The run a resource belongs to (one run of a job).</summary>
    public const string RunId = "relais.run.id";

    /// <summary>The runner (short token) that created a resource.</summary>
    public const string Runner = "relais.runner";

    /// <summary>On per-project cache volumes, which outlive jobs.</summary>
    public const string Cache = "relais.cache";

    /// <summary>Filters for everything one run created.</summary>
    public static KeyValuePair<string, string>[] OfRun(string runId) => [KeyValuePair.Create(Managed, "true"), KeyValuePair.Create(RunId, runId)];

    /// <summary>A name Docker accepts, from anything.</summary>
    public static string Safe(string text) =>
        new string(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray()).Trim('-', '.');

    /// <summary>Names the engine reports for containers, networks, volumes.</summary>
    public static string Describe(string kind, ResourceSummary r) => $"{kind} {r.Name}";
}
