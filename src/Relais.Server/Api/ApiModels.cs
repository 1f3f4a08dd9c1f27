namespace Relais.Server.Api;

/// <summary>A user as <c>GET /user</c> and the <c>user</c> fields show it.</summary>
public sealed record UserView(long Id, string Username, string Name, string State, bool IsAdmin, string? AvatarUrl, string WebUrl);

/// <summary>
/// A namespace (<c>GET /namespaces</c>, a project's <c>namespace</c>): a user's (<see cref="Kind"/> <c>user</c>, the
/// user's id) or a group's (<c>group</c>, the group's id; <see cref="ParentId"/> its parent group).
/// </summary>
public sealed record NamespaceView(long Id, string Name, string Path, string Kind, string FullPath, long? ParentId = null, string? WebUrl = null);

/// <summary>A group (<c>GET /groups/:id</c>).</summary>
public sealed record GroupView(
    long Id,
    string WebUrl,
    string Name,
    string Path,
    string Description,
    string Visibility,
    string FullName,
    string FullPath,
    long? ParentId,
    string? CreatedAt,
    string ProjectCreationLevel,
    string SubgroupCreationLevel);

/// <summary>A project (<c>GET /projects/:id</c>).</summary>
/// <param name="RelaisTrusted">Ours (<c>relais_trusted</c>): an administrator marked the project trusted (its jobs may run unisolated).</param>
public sealed record ProjectView(
    long Id,
    string? Description,
    string Name,
    string NameWithNamespace,
    string Path,
    string PathWithNamespace,
    string? CreatedAt,
    string DefaultBranch,
    string Visibility,
    string WebUrl,
    string HttpUrlToRepo,
    string? SshUrlToRepo,
    NamespaceView Namespace,
    string? LastActivityAt,
    bool Archived,
    bool RelaisTrusted,
    bool SharedRunnersEnabled)
{
    /// <summary>GitLab's <c>_links</c>: the project's API addresses (set where a single caller's view is built).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("_links")]
    public IReadOnlyDictionary<string, string>? Links { get; init; }

    /// <summary>The caller's <c>project_access</c> and <c>group_access</c> (each null without one).</summary>
    public IReadOnlyDictionary<string, ProjectAccessView?>? Permissions { get; init; }

    /// <summary>Whether the repository has no branch yet.</summary>
    public bool EmptyRepo { get; init; }

    /// <summary>Whether the CI/CD job token's inbound scope limits other projects' jobs to the allowlist.</summary>
    public bool CiJobTokenScopeEnabled { get; init; } = true;

    /// <summary>Where the project's images are (<c>ADDRESS/group/app</c>), as <c>CI_REGISTRY_IMAGE</c>; null when the server runs no registry.</summary>
    public string? ContainerRegistryImagePrefix { get; init; }

    /// <summary>Whether the project has a container registry (the server runs one): GitLab's older boolean.</summary>
    public bool ContainerRegistryEnabled { get; init; }

    /// <summary>GitLab's <c>container_registry_access_level</c>: <c>enabled</c> with a registry, else <c>disabled</c>.</summary>
    public string ContainerRegistryAccessLevel { get; init; } = "disabled";

    /// <summary>The project's cleanup policy for its container images (issue #15), GitLab's <c>container_expiration_policy</c>.</summary>
    public Registry.Cleanup.ExpirationPolicyView? ContainerExpirationPolicy { get; init; }

    /// <summary>GitLab's "prevent outdated deployment jobs" (issue #16): a deploy job older than the last deployment is dropped.</summary>
    public bool CiForwardDeploymentEnabled { get; init; } = true;

    /// <summary>Whether a retried older deploy job (a rollback) may still run while <see cref="CiForwardDeploymentEnabled"/> is on.</summary>
    public bool CiForwardDeploymentRollbackAllowed { get; init; } = true;
}

/// <summary>A role in <c>permissions</c>: GitLab's access level number and notification level (global, 3).</summary>
public sealed record ProjectAccessView(int AccessLevel, int NotificationLevel = 3);

/// <summary>A pipeline in a list; <see cref="Name"/> is its <c>workflow:name</c> (null without one).</summary>
public record PipelineView(
    long Id,
    long Iid,
    long ProjectId,
    string Sha,
    string Ref,
    string Status,
    string Source,
    string? CreatedAt,
    string? UpdatedAt,
    string WebUrl,
    string? Name);

/// <summary>
/// GitLab's <c>detailed_status</c> of a pipeline: the icon, words and links its pages show for the status
/// (<see cref="DetailedStatusNames"/>).
/// </summary>
public sealed record DetailedStatusView(
    string Icon,
    string Text,
    string Label,
    string Group,
    string Tooltip,
    bool HasDetails,
    string DetailsPath,
    object? Illustration,
    string Favicon);

/// <summary>A single pipeline (<c>GET …/pipelines/:pid</c>): the list fields and the detail.</summary>
public sealed record PipelineDetailView(
    long Id,
    long Iid,
    long ProjectId,
    string Sha,
    string Ref,
    string Status,
    string Source,
    string? CreatedAt,
    string? UpdatedAt,
    string WebUrl,
    string? BeforeSha,
    bool Tag,
    string? YamlErrors,
    UserView? User,
    string? StartedAt,
    string? FinishedAt,
    string? CommittedAt,
    double? Duration,
    double? QueuedDuration,
    string? Coverage,
    string? Name,
    DetailedStatusView DetailedStatus)
    : PipelineView(Id, Iid, ProjectId, Sha, Ref, Status, Source, CreatedAt, UpdatedAt, WebUrl, Name);

/// <summary>The pipeline a job belongs to (the job's <c>pipeline</c>).</summary>
public sealed record JobPipelineView(
    long Id, long Iid, long ProjectId, string Sha, string Ref, string Status, string Source, string? CreatedAt, string? UpdatedAt, string WebUrl);

/// <summary>A runner (lists and the <c>runner</c> field of a job).</summary>
public sealed record RunnerView(
    long Id,
    string Description,
    string? IpAddress,
    bool Active,
    bool Paused,
    bool IsShared,
    string RunnerType,
    string? Name,
    bool Online,
    string Status,
    IReadOnlyList<string> TagList,
    bool RunUntagged,
    bool Locked,
    string? ContactedAt);

/// <summary>A job's archive, as <c>artifacts_file</c>.</summary>
public sealed record ArtifactsFileView(string Filename, long Size);

/// <summary>One artifact file of a job (an entry of its <c>artifacts</c>): the archive, a report, the metadata.</summary>
public sealed record JobArtifactView(string FileType, long Size, string Filename, string FileFormat);

/// <summary>The job's project as GitLab shows it on a job: only whether its CI/CD job token scope is on.</summary>
public sealed record JobProjectView(bool CiJobTokenScopeEnabled);

/// <summary>A job (one attempt), with every field GitLab's job entity has (<c>runner_manager</c> is always null: runners here have no managers).</summary>
public sealed record JobView(
    long Id,
    string Status,
    string Stage,
    string Name,
    string Ref,
    bool Tag,
    string? Coverage,
    bool AllowFailure,
    string? CreatedAt,
    string? StartedAt,
    string? FinishedAt,
    string? ErasedAt,
    double? Duration,
    double? QueuedDuration,
    UserView? User,
    CommitView? Commit,
    JobPipelineView Pipeline,
    string? FailureReason,
    string WebUrl,
    JobProjectView Project,
    ArtifactsFileView? ArtifactsFile,
    IReadOnlyList<JobArtifactView> Artifacts,
    RunnerView? Runner,
    object? RunnerManager,
    string? ArtifactsExpireAt,
    bool Archived,
    IReadOnlyList<string> TagList,
    bool Retried);

/// <summary>A project CI/CD variable.</summary>
public sealed record VariableView(string VariableType, string Key, string Value, bool Protected, bool Masked, bool Raw, string EnvironmentScope, string? Description);

/// <summary>
/// Who may push, merge, unprotect or create on a protected ref (GitLab's <c>push_access_levels</c> … entries): a role level
/// (0 no one, 30 developers and maintainers, 40 maintainers, 60 administrators), one user, or one deploy key.
/// </summary>
public sealed record AccessLevelView(long Id, int? AccessLevel, string AccessLevelDescription, long? UserId, long? GroupId, long? DeployKeyId);

/// <summary>A protected branch (<c>GET /projects/:id/protected_branches</c>).</summary>
public sealed record ProtectedBranchView(
    long Id,
    string Name,
    IReadOnlyList<AccessLevelView> PushAccessLevels,
    IReadOnlyList<AccessLevelView> MergeAccessLevels,
    IReadOnlyList<AccessLevelView> UnprotectAccessLevels,
    bool AllowForcePush,
    bool CodeOwnerApprovalRequired);

/// <summary>A protected tag (<c>GET /projects/:id/protected_tags</c>).</summary>
public sealed record ProtectedTagView(string Name, IReadOnlyList<AccessLevelView> CreateAccessLevels);

/// <summary>A variable a pipeline was created with (<c>GET /pipelines/:id/variables</c>).</summary>
public sealed record PipelineVariableView(string Key, string Value, string VariableType, bool Raw);

/// <summary>A trigger (bridge) job (<c>GET …/pipelines/:id/bridges</c>): a job's fields and the pipeline it created.</summary>
public sealed record BridgeView(
    long Id,
    string Name,
    string Stage,
    string Status,
    string Ref,
    bool Tag,
    string? Coverage,
    bool AllowFailure,
    string? CreatedAt,
    string? StartedAt,
    string? FinishedAt,
    string? ErasedAt,
    double? Duration,
    double? QueuedDuration,
    UserView? User,
    JobPipelineView Pipeline,
    string WebUrl,
    string? FailureReason,
    PipelineView? DownstreamPipeline);

/// <summary>One runner in full (<c>GET /runners/:id</c>): the list's fields and its settings, projects and groups.</summary>
public sealed record RunnerDetailView(
    long Id,
    string Description,
    string? IpAddress,
    bool Active,
    bool Paused,
    bool IsShared,
    string RunnerType,
    string? Name,
    bool Online,
    string Status,
    IReadOnlyList<string> TagList,
    bool RunUntagged,
    bool Locked,
    string? ContactedAt,
    string? CreatedAt,
    string AccessLevel,
    int? MaximumTimeout,
    string? MaintenanceNote,
    IReadOnlyList<RunnerProjectView> Projects,
    IReadOnlyList<RunnerGroupView> Groups);

/// <summary>A project a runner is enabled in.</summary>
public sealed record RunnerProjectView(long Id, string Name, string NameWithNamespace, string Path, string PathWithNamespace);

/// <summary>The group of a group runner.</summary>
public sealed record RunnerGroupView(long Id, string Name, string WebUrl);
