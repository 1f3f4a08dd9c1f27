namespace Relais.Server.Storage.State;

/// <summary>A compiled plan (<c>pipelines.plan_json</c>), written once with the pipeline's first state. Lists that are
/// empty are left out; for the few whose absence means something (<c>needs</c>, <c>dependencies</c>, an entrypoint, a
/// command) an empty list is written as one.</summary>
internal sealed record StoredPlanV1
{
    public required int Version { get; init; }

    public required IReadOnlyList<string> Stages { get; init; }

    public required IReadOnlyList<StoredJobPlanV1> Jobs { get; init; }

    public IReadOnlyList<StoredVariableV1>? Variables { get; init; }

    public string? Name { get; init; }

    public required StoredAutoCancelV1 AutoCancel { get; init; }
}

/// <summary><c>workflow:auto_cancel</c>.</summary>
internal sealed record StoredAutoCancelV1(string OnNewCommit, string OnJobFailure);

/// <summary>A YAML variable of the plan.</summary>
internal sealed record StoredVariableV1(string Key, string Value, bool Raw = false, string? Description = null);

/// <summary>One planned job: every field of <c>JobPlan</c>.</summary>
internal sealed record StoredJobPlanV1
{
    public required string Name { get; init; }

    public required string BaseName { get; init; }

    public required string Stage { get; init; }

    /// <summary><c>on_success</c>, <c>on_failure</c>, <c>always</c>, <c>manual</c> or <c>delayed</c>.</summary>
    public required string When { get; init; }

    public TimeSpan? StartIn { get; init; }

    public bool AllowFailure { get; init; }

    public IReadOnlyList<int>? AllowFailureExitCodes { get; init; }

    public IReadOnlyList<StoredNeedV1>? Needs { get; init; }

    public IReadOnlyList<StoredPipelineNeedV1>? PipelineNeeds { get; init; }

    public IReadOnlyList<StoredProjectNeedV1>? ProjectNeeds { get; init; }

    public IReadOnlyList<string>? Dependencies { get; init; }

    public IReadOnlyList<string>? BeforeScript { get; init; }

    public IReadOnlyList<string>? Script { get; init; }

    public IReadOnlyList<string>? AfterScript { get; init; }

    public StoredImageV1? Image { get; init; }

    public IReadOnlyList<StoredImageV1>? Services { get; init; }

    public IReadOnlyList<StoredVariableV1>? Variables { get; init; }

    public IReadOnlyList<StoredCacheV1>? Cache { get; init; }

    public StoredArtifactsV1? Artifacts { get; init; }

    public StoredEnvironmentV1? Environment { get; init; }

    public string? ResourceGroup { get; init; }

    public bool Interruptible { get; init; }

    public required StoredRetryV1 Retry { get; init; }

    public TimeSpan? Timeout { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public string? Coverage { get; init; }

    public StoredTriggerV1? Trigger { get; init; }

    public IReadOnlyList<string>? PreGetSourcesScript { get; init; }

    public StoredParallelV1? Parallel { get; init; }

    /// <summary>Keywords carried as written, each as its JSON text.</summary>
    public IReadOnlyDictionary<string, string>? Extras { get; init; }

    public required StoredLocationV1 Location { get; init; }
}

internal sealed record StoredLocationV1(string File, int Line, int Column);

internal sealed record StoredNeedV1(string Job, bool Artifacts, bool Optional);

internal sealed record StoredPipelineNeedV1(string Pipeline, string Job, bool Artifacts);

internal sealed record StoredProjectNeedV1(string Project, string Job, string Ref, bool Artifacts);

internal sealed record StoredParallelV1(int Index, int Total, IReadOnlyList<StoredVariableV1>? Matrix);

/// <summary>An image or a service (a service adds an alias, a command and variables).</summary>
internal sealed record StoredImageV1
{
    public required string Name { get; init; }

    public string? Alias { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<StoredVariableV1>? Variables { get; init; }

    public IReadOnlyList<string>? PullPolicy { get; init; }

    public StoredDockerOptionsV1? Docker { get; init; }

    public StoredKubernetesOptionsV1? Kubernetes { get; init; }

    public IReadOnlyList<StoredPortV1>? Ports { get; init; }
}

internal sealed record StoredDockerOptionsV1(string? Platform, string? User);

internal sealed record StoredKubernetesOptionsV1(string? User, long? Uid);

internal sealed record StoredPortV1(int Number, string? Protocol, string? Name);

internal sealed record StoredCacheV1
{
    public string? Key { get; init; }

    public IReadOnlyList<string>? KeyFiles { get; init; }

    public string? KeyPrefix { get; init; }

    public IReadOnlyList<string>? Paths { get; init; }

    public required string Policy { get; init; }

    public required string When { get; init; }

    public bool Untracked { get; init; }

    public IReadOnlyList<string>? FallbackKeys { get; init; }

    public bool Unprotect { get; init; }
}

internal sealed record StoredArtifactsV1
{
    public string? Name { get; init; }

    public IReadOnlyList<string>? Paths { get; init; }

    public IReadOnlyList<string>? Exclude { get; init; }

    public bool Untracked { get; init; }

    public required string When { get; init; }

    public string? ExpireIn { get; init; }

    public string? ExposeAs { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Reports { get; init; }

    public bool? Public { get; init; }

    public string? Access { get; init; }
}

internal sealed record StoredEnvironmentV1
{
    public required string Name { get; init; }

    public string? Url { get; init; }

    public required string Action { get; init; }

    public string? OnStop { get; init; }

    public string? AutoStopIn { get; init; }

    public string? DeploymentTier { get; init; }

    public StoredEnvironmentKubernetesV1? Kubernetes { get; init; }
}

internal sealed record StoredEnvironmentKubernetesV1(
    string? Agent,
    string? Namespace,
    string? FluxResourcePath,
    bool? ManagedResourcesEnabled,
    string? DashboardNamespace,
    string? DashboardFluxResourcePath);

internal sealed record StoredRetryV1(int Max, IReadOnlyList<string>? When, IReadOnlyList<int>? ExitCodes);

internal sealed record StoredTriggerV1(string? Project, string? Branch, string? Strategy, IReadOnlyList<string>? IncludeFiles, string Written);
