using System.Collections.Immutable;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Yaml;

namespace Relais.Server.Storage.State;

/// <summary>A <see cref="PipelinePlan"/> to its stored form (<see cref="StoredPlanV1"/>) and back, field by field.</summary>
internal static class StoredPlanMapping
{
    public static StoredPlanV1 ToStored(PipelinePlan plan) => new()
    {
        Version = StoredPipelineState.Version,
        Stages = plan.Stages,
        Jobs = [.. plan.Jobs.Select(Job)],
        Variables = Variables(plan.Variables),
        Name = plan.Name,
        AutoCancel = new StoredAutoCancelV1(plan.AutoCancel.OnNewCommit, plan.AutoCancel.OnJobFailure),
    };

    public static PipelinePlan FromStored(StoredPlanV1 stored) => new(
        [.. stored.Stages],
        [.. stored.Jobs.Select(Job)],
        Variables(stored.Variables),
        stored.Name,
        new AutoCancelPlan(stored.AutoCancel.OnNewCommit, stored.AutoCancel.OnJobFailure));

    private static StoredJobPlanV1 Job(JobPlan j) => new()
    {
        Name = j.Name,
        BaseName = j.BaseName,
        Stage = j.Stage,
        When = When(j.When),
        StartIn = j.StartIn,
        AllowFailure = j.AllowFailure,
        AllowFailureExitCodes = List(j.AllowFailureExitCodes),
        Needs = j.Needs is { } needs ? [.. needs.Select(n => new StoredNeedV1(n.Job, n.Artifacts, n.Optional))] : null,
        PipelineNeeds = j.PipelineNeeds.IsEmpty ? null : [.. j.PipelineNeeds.Select(n => new StoredPipelineNeedV1(n.Pipeline, n.Job, n.Artifacts))],
        ProjectNeeds = j.ProjectNeeds.IsEmpty ? null : [.. j.ProjectNeeds.Select(n => new StoredProjectNeedV1(n.Project, n.Job, n.Ref, n.Artifacts))],
        Dependencies = j.Dependencies is { } deps ? (IReadOnlyList<string>)deps : null,
        BeforeScript = List(j.BeforeScript),
        Script = List(j.Script),
        AfterScript = List(j.AfterScript),
        Image = j.Image is { } image ? Image(image) : null,
        Services = j.Services.IsDefaultOrEmpty ? null : [.. j.Services.Select(Service)],
        Variables = Variables(j.Variables),
        Cache = j.Cache.IsDefaultOrEmpty ? null : [.. j.Cache.Select(Cache)],
        Artifacts = j.Artifacts is { } a ? Artifacts(a) : null,
        Environment = j.Environment is { } env ? Environment(env) : null,
        ResourceGroup = j.ResourceGroup,
        Interruptible = j.Interruptible,
        Retry = new StoredRetryV1(j.Retry.Max, List(j.Retry.When), List(j.Retry.ExitCodes)),
        Timeout = j.Timeout,
        Tags = List(j.Tags),
        Coverage = j.Coverage,
        Trigger = j.Trigger is { } t ? new StoredTriggerV1(t.Project, t.Branch, t.Strategy, List(t.IncludeFiles), t.Written.Json) : null,
        PreGetSourcesScript = List(j.PreGetSourcesScript),
        Parallel = j.Parallel is { } p ? new StoredParallelV1(p.Index, p.Total, Variables(p.Matrix)) : null,
        Extras = j.Extras.IsEmpty ? null : j.Extras.ToDictionary(e => e.Key, e => e.Value.Json, StringComparer.Ordinal),
        Location = new StoredLocationV1(j.Location.File, j.Location.Line, j.Location.Column),
    };

    private static JobPlan Job(StoredJobPlanV1 j) => new()
    {
        Name = j.Name,
        BaseName = j.BaseName,
        Stage = j.Stage,
        When = When(j.When),
        StartIn = j.StartIn,
        AllowFailure = j.AllowFailure,
        AllowFailureExitCodes = Array(j.AllowFailureExitCodes),
        Needs = j.Needs is { } needs ? [.. needs.Select(n => new NeedPlan(n.Job, n.Artifacts, n.Optional))] : null,
        PipelineNeeds = j.PipelineNeeds is { } pipelineNeeds ? [.. pipelineNeeds.Select(n => new PipelineNeedPlan(n.Pipeline, n.Job, n.Artifacts))] : [],
        ProjectNeeds = j.ProjectNeeds is { } projectNeeds ? [.. projectNeeds.Select(n => new ProjectNeedPlan(n.Project, n.Job, n.Ref, n.Artifacts))] : [],
        Dependencies = j.Dependencies is { } deps ? [.. deps] : null,
        BeforeScript = Array(j.BeforeScript),
        Script = Array(j.Script),
        AfterScript = Array(j.AfterScript),
        Image = j.Image is { } image ? Image(image) : null,
        Services = [.. (j.Services ?? []).Select(Service)],
        Variables = Variables(j.Variables),
        Cache = [.. (j.Cache ?? []).Select(Cache)],
        Artifacts = j.Artifacts is { } a ? Artifacts(a) : null,
        Environment = j.Environment is { } env ? Environment(env) : null,
        ResourceGroup = j.ResourceGroup,
        Interruptible = j.Interruptible,
        Retry = new RetryPlan(j.Retry.Max, Array(j.Retry.When), Array(j.Retry.ExitCodes)),
        Timeout = j.Timeout,
        Tags = Array(j.Tags),
        Coverage = j.Coverage,
        Trigger = j.Trigger is { } t ? new TriggerPlan(t.Project, t.Branch, t.Strategy, Array(t.IncludeFiles), new WrittenValue(t.Written)) : null,
        PreGetSourcesScript = Array(j.PreGetSourcesScript),
        Parallel = j.Parallel is { } p ? new ParallelPlan(p.Index, p.Total, Variables(p.Matrix)) : null,
        Extras = j.Extras is null ? ImmutableDictionary<string, WrittenValue>.Empty
            : j.Extras.ToImmutableDictionary(e => e.Key, e => new WrittenValue(e.Value), StringComparer.Ordinal),
        Location = new SourceLocation(j.Location.File, j.Location.Line, j.Location.Column),
    };

    private static StoredImageV1 Image(ImagePlan i) => new()
    {
        Name = i.Name,
        Entrypoint = i.Entrypoint is { } e ? (IReadOnlyList<string>)e : null,
        PullPolicy = List(i.PullPolicy),
        Docker = Docker(i.Docker),
        Kubernetes = Kubernetes(i.Kubernetes),
        Ports = Ports(i.Ports),
    };

    private static ImagePlan Image(StoredImageV1 i) =>
        new(i.Name, i.Entrypoint is { } e ? [.. e] : null, Array(i.PullPolicy), Docker(i.Docker), Kubernetes(i.Kubernetes), Ports(i.Ports));

    private static StoredImageV1 Service(ServicePlan s) => new()
    {
        Name = s.Name,
        Alias = s.Alias,
        Entrypoint = s.Entrypoint is { } e ? (IReadOnlyList<string>)e : null,
        Command = s.Command is { } c ? (IReadOnlyList<string>)c : null,
        Variables = Variables(s.Variables),
        PullPolicy = List(s.PullPolicy),
        Docker = Docker(s.Docker),
        Kubernetes = Kubernetes(s.Kubernetes),
        Ports = Ports(s.Ports),
    };

    private static ServicePlan Service(StoredImageV1 s) => new(
        s.Name,
        s.Alias,
        s.Entrypoint is { } e ? [.. e] : null,
        s.Command is { } c ? [.. c] : null,
        Variables(s.Variables),
        Array(s.PullPolicy),
        Docker(s.Docker),
        Kubernetes(s.Kubernetes),
        Ports(s.Ports));

    private static StoredDockerOptionsV1? Docker(DockerOptionsPlan? d) => d is null ? null : new(d.Platform, d.User);

    private static DockerOptionsPlan? Docker(StoredDockerOptionsV1? d) => d is null ? null : new(d.Platform, d.User);

    private static StoredKubernetesOptionsV1? Kubernetes(KubernetesOptionsPlan? k) => k is null ? null : new(k.User, k.Uid);

    private static KubernetesOptionsPlan? Kubernetes(StoredKubernetesOptionsV1? k) => k is null ? null : new(k.User, k.Uid);

    private static IReadOnlyList<StoredPortV1>? Ports(ImmutableArray<PortPlan> ports) =>
        ports.IsDefaultOrEmpty ? null : [.. ports.Select(p => new StoredPortV1(p.Number, p.Protocol, p.Name))];

    private static ImmutableArray<PortPlan> Ports(IReadOnlyList<StoredPortV1>? ports) =>
        [.. (ports ?? []).Select(p => new PortPlan(p.Number, p.Protocol, p.Name))];

    private static StoredCacheV1 Cache(CachePlan c) => new()
    {
        Key = c.Key.Value,
        KeyFiles = List(c.Key.Files),
        KeyPrefix = c.Key.Prefix,
        Paths = List(c.Paths),
        Policy = c.Policy,
        When = c.When,
        Untracked = c.Untracked,
        FallbackKeys = List(c.FallbackKeys),
        Unprotect = c.Unprotect,
    };

    private static CachePlan Cache(StoredCacheV1 c) => new(
        new CacheKeyPlan(c.Key, Array(c.KeyFiles), c.KeyPrefix), Array(c.Paths), c.Policy, c.When, c.Untracked, Array(c.FallbackKeys), c.Unprotect);

    private static StoredArtifactsV1 Artifacts(ArtifactsPlan a) => new()
    {
        Name = a.Name,
        Paths = List(a.Paths),
        Exclude = List(a.Exclude),
        Untracked = a.Untracked,
        When = a.When,
        ExpireIn = a.ExpireIn,
        ExposeAs = a.ExposeAs,
        Reports = a.Reports?.ToDictionary(r => r.Key, r => (IReadOnlyList<string>)(r.Value.IsDefault ? [] : r.Value), StringComparer.Ordinal),
        Public = a.Public,
        Access = a.Access,
    };

    private static ArtifactsPlan Artifacts(StoredArtifactsV1 a) => new(
        a.Name,
        Array(a.Paths),
        Array(a.Exclude),
        a.Untracked,
        a.When,
        a.ExpireIn,
        a.ExposeAs,
        a.Reports?.ToImmutableDictionary(r => r.Key, r => Array(r.Value), StringComparer.Ordinal),
        a.Public,
        a.Access);

    private static StoredEnvironmentV1 Environment(EnvironmentPlan e) => new()
    {
        Name = e.Name,
        Url = e.Url,
        Action = e.Action,
        OnStop = e.OnStop,
        AutoStopIn = e.AutoStopIn,
        DeploymentTier = e.DeploymentTier,
        Kubernetes = e.Kubernetes is { } k
            ? new StoredEnvironmentKubernetesV1(k.Agent, k.Namespace, k.FluxResourcePath, k.ManagedResourcesEnabled, k.DashboardNamespace, k.DashboardFluxResourcePath)
            : null,
    };

    private static EnvironmentPlan Environment(StoredEnvironmentV1 e) => new(
        e.Name,
        e.Url,
        e.Action,
        e.OnStop,
        e.AutoStopIn,
        e.DeploymentTier,
        e.Kubernetes is { } k
            ? new EnvironmentKubernetesPlan(k.Agent, k.Namespace, k.FluxResourcePath, k.ManagedResourcesEnabled, k.DashboardNamespace, k.DashboardFluxResourcePath)
            : null);

    private static IReadOnlyList<StoredVariableV1>? Variables(ImmutableArray<PlanVariable> variables) =>
        variables.IsDefaultOrEmpty ? null : [.. variables.Select(v => new StoredVariableV1(v.Key, v.Value, v.Raw, v.Description))];

    private static ImmutableArray<PlanVariable> Variables(IReadOnlyList<StoredVariableV1>? variables) =>
        [.. (variables ?? []).Select(v => new PlanVariable(v.Key, v.Value, v.Raw, v.Description))];

    private static string When(JobWhen when) => when switch
    {
        JobWhen.OnFailure => "on_failure",
        JobWhen.Always => "always",
        JobWhen.Manual => "manual",
        JobWhen.Delayed => "delayed",
        _ => "on_success",
    };

    private static JobWhen When(string when) => when switch
    {
        "on_failure" => JobWhen.OnFailure,
        "always" => JobWhen.Always,
        "manual" => JobWhen.Manual,
        "delayed" => JobWhen.Delayed,
        _ => JobWhen.OnSuccess,
    };

    /// <summary>An empty (or default) list is left out of the stored form.</summary>
    private static IReadOnlyList<T>? List<T>(ImmutableArray<T> items) => items.IsDefaultOrEmpty ? null : items;

    private static ImmutableArray<T> Array<T>(IReadOnlyList<T>? items) => items is null ? [] : [.. items];
}
