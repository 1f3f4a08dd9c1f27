using System.Collections.Immutable;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Plan;

/// <summary>When a job runs, once the jobs before it are done.</summary>
public enum JobWhen
{
    OnSuccess,
    OnFailure,
    Always,
    Manual,
    Delayed,
}

/// <summary>One job of a compiled pipeline, after includes, <c>extends</c>, <c>default</c>, rules and parallel expansion.</summary>
public sealed record JobPlan
{
    /// <summary>The job's name, with the parallel suffix (<c>test 1/3</c>, <c>build: [linux, amd64]</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The name as written in the YAML, before parallel expansion.</summary>
    public required string BaseName { get; init; }

    public required string Stage { get; init; }

    public JobWhen When { get; init; } = JobWhen.OnSuccess;

    /// <summary>For <see cref="JobWhen.Delayed"/>: how long after the job becomes ready it starts.</summary>
    public TimeSpan? StartIn { get; init; }

    public bool AllowFailure { get; init; }

    /// <summary>With <c>allow_failure: exit_codes</c>: only these exit codes are allowed to fail.</summary>
    public ImmutableArray<int> AllowFailureExitCodes { get; init; } = [];

    /// <summary>
    /// The <c>needs</c> of the job, naming expanded jobs. Null when the job has no <c>needs</c> (it waits for
    /// earlier stages); empty for <c>needs: []</c> (it starts at once).
    /// </summary>
    public ImmutableArray<NeedPlan>? Needs { get; init; }

    /// <summary>The <c>needs:pipeline:job</c> entries: jobs of another pipeline (a child's parent) whose artifacts the job fetches.</summary>
    public ImmutableArray<PipelineNeedPlan> PipelineNeeds { get; init; } = [];

    /// <summary>The <c>needs:project</c> entries: the latest successful job of that name on a ref of another project, whose artifacts the job fetches.</summary>
    public ImmutableArray<ProjectNeedPlan> ProjectNeeds { get; init; } = [];

    /// <summary>Jobs whose artifacts are fetched (expanded names). Null means the default: every earlier
    /// job, or the needs with <c>artifacts: true</c> when the job has needs.</summary>
    public ImmutableArray<string>? Dependencies { get; init; }

    public ImmutableArray<string> BeforeScript { get; init; } = [];

    public ImmutableArray<string> Script { get; init; } = [];

    public ImmutableArray<string> AfterScript { get; init; } = [];

    public ImagePlan? Image { get; init; }

    public ImmutableArray<ServicePlan> Services { get; init; } = [];

    /// <summary>The job's YAML variables in precedence order: inherited global ones, then the job's, the
    /// matrix values and the matching rule's. Later keys win; values are not yet expanded.</summary>
    public ImmutableArray<PlanVariable> Variables { get; init; } = [];

    public ImmutableArray<CachePlan> Cache { get; init; } = [];

    public ArtifactsPlan? Artifacts { get; init; }

    public EnvironmentPlan? Environment { get; init; }

    public string? ResourceGroup { get; init; }

    public bool Interruptible { get; init; }

    public RetryPlan Retry { get; init; } = RetryPlan.None;

    public TimeSpan? Timeout { get; init; }

    public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>The <c>coverage</c> regular expression as written (<c>/…/</c>).</summary>
    public string? Coverage { get; init; }

    public TriggerPlan? Trigger { get; init; }

    public ImmutableArray<string> PreGetSourcesScript { get; init; } = [];

    public ParallelPlan? Parallel { get; init; }

    /// <summary>Keywords carried through as written for later consumers: <c>release</c>, <c>secrets</c>,
    /// <c>id_tokens</c>, <c>pages</c>, <c>run</c>, <c>identity</c>, <c>dast_configuration</c>, <c>inputs</c>, <c>manual_confirmation</c>.</summary>
    public ImmutableDictionary<string, WrittenValue> Extras { get; init; } = ImmutableDictionary<string, WrittenValue>.Empty;

    /// <summary>Where the job's key was written.</summary>
    public SourceLocation Location { get; init; }

    public bool IsTrigger => Trigger is not null;
}

/// <summary>One entry of <c>needs</c>, naming an expanded job.</summary>
public sealed record NeedPlan(string Job, bool Artifacts = true, bool Optional = false);

/// <summary>One <c>needs:pipeline:job</c> entry: <paramref name="Pipeline"/> as written (usually <c>$PARENT_PIPELINE_ID</c>, expanded when the job is dispatched).</summary>
public sealed record PipelineNeedPlan(string Pipeline, string Job, bool Artifacts = true);

/// <summary>A <c>needs:project</c> entry: <paramref name="Job"/> of <paramref name="Project"/>'s latest successful pipeline on <paramref name="Ref"/> (each may hold variables).</summary>
public sealed record ProjectNeedPlan(string Project, string Job, string Ref, bool Artifacts = true);

/// <summary>The position of a job in its <c>parallel</c> group: <c>CI_NODE_INDEX</c>, <c>CI_NODE_TOTAL</c> and matrix values.</summary>
public sealed record ParallelPlan(int Index, int Total, ImmutableArray<PlanVariable> Matrix);

/// <summary>An <c>image</c>: its name, entrypoint and pull policies, and the executor options and ports the payload carries.</summary>
public sealed record ImagePlan(
    string Name,
    ImmutableArray<string>? Entrypoint = null,
    ImmutableArray<string> PullPolicy = default,
    DockerOptionsPlan? Docker = null,
    KubernetesOptionsPlan? Kubernetes = null,
    ImmutableArray<PortPlan> Ports = default);

/// <summary>One of <c>services</c>: an image with an alias, a command and its own variables.</summary>
public sealed record ServicePlan(
    string Name,
    string? Alias = null,
    ImmutableArray<string>? Entrypoint = null,
    ImmutableArray<string>? Command = null,
    ImmutableArray<PlanVariable> Variables = default,
    ImmutableArray<string> PullPolicy = default,
    DockerOptionsPlan? Docker = null,
    KubernetesOptionsPlan? Kubernetes = null,
    ImmutableArray<PortPlan> Ports = default);

/// <summary>The <c>docker:</c> options of an image or service (<c>platform</c>, <c>user</c>).</summary>
public sealed record DockerOptionsPlan(string? Platform = null, string? User = null);

/// <summary>The <c>kubernetes:</c> options of an image or service: <c>user</c> as a name (or <c>UID:GID</c>) or as a number.</summary>
public sealed record KubernetesOptionsPlan(string? User = null, long? Uid = null);

/// <summary>One of an image's <c>ports</c>: a number, or a hash with <c>number</c>, <c>protocol</c> and <c>name</c>.</summary>
public sealed record PortPlan(int Number, string? Protocol = null, string? Name = null);

/// <summary>
/// A keyword's value carried as written, in JSON: hashes as objects, lists as arrays, typed scalars as JSON scalars.
/// Compact, with System.Text.Json's default escaping: the form GitLab sends <c>run</c> steps to a runner in.
/// </summary>
public sealed record WrittenValue(string Json);

/// <summary>A cache key: a literal (may hold variables), or computed from <c>files</c> with an optional <c>prefix</c>.</summary>
public sealed record CacheKeyPlan(string? Value, ImmutableArray<string> Files = default, string? Prefix = null)
{
    public static CacheKeyPlan Default { get; } = new("default");
}

public sealed record CachePlan(
    CacheKeyPlan Key,
    ImmutableArray<string> Paths,
    string Policy = "pull-push",
    string When = "on_success",
    bool Untracked = false,
    ImmutableArray<string> FallbackKeys = default,
    bool Unprotect = false);

public sealed record ArtifactsPlan(
    string? Name,
    ImmutableArray<string> Paths,
    ImmutableArray<string> Exclude,
    bool Untracked = false,
    string When = "on_success",
    string? ExpireIn = null,
    string? ExposeAs = null,
    ImmutableDictionary<string, ImmutableArray<string>>? Reports = null,
    bool? Public = null,
    string? Access = null);

public sealed record EnvironmentPlan(
    string Name,
    string? Url = null,
    string Action = "start",
    string? OnStop = null,
    string? AutoStopIn = null,
    string? DeploymentTier = null,
    EnvironmentKubernetesPlan? Kubernetes = null);

/// <summary><c>environment:kubernetes</c>: the agent, namespace and Flux resource of a deployment, and its dashboard's.</summary>
public sealed record EnvironmentKubernetesPlan(
    string? Agent = null,
    string? Namespace = null,
    string? FluxResourcePath = null,
    bool? ManagedResourcesEnabled = null,
    string? DashboardNamespace = null,
    string? DashboardFluxResourcePath = null);

/// <summary><c>retry</c>: at most <paramref name="Max"/> more attempts (0 to 2) for failures whose reason is in
/// <paramref name="When"/> (or <c>always</c>) or whose exit code is in <paramref name="ExitCodes"/>.</summary>
public sealed record RetryPlan(int Max, ImmutableArray<string> When, ImmutableArray<int> ExitCodes)
{
    public static RetryPlan None { get; } = new(0, ["always"], []);
}

/// <summary>A trigger (bridge) job: a downstream project, or a child pipeline from files of this repository.
/// <paramref name="Written"/> is the whole <c>trigger</c> as written (<c>relais plan --json</c> shows it).</summary>
public sealed record TriggerPlan(
    string? Project,
    string? Branch,
    string? Strategy,
    ImmutableArray<string> IncludeFiles,
    WrittenValue Written);
