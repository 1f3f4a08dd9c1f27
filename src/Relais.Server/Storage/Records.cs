using Relais.Engine;
using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>A user; the first one (root) is an administrator.</summary>
public sealed record UserRecord
{
    public long Id { get; init; }

    public string Username { get; init; } = "";

    public bool IsAdmin { get; init; }
}

/// <summary>A project that pipelines run for.</summary>
public sealed record ProjectRecord
{
    public long Id { get; init; }

    public string Path { get; init; } = "";

    public string DefaultBranch { get; init; } = "main";

    /// <summary><c>private</c> (the default) or <c>public</c>.</summary>
    public string Visibility { get; init; } = "private";

    /// <summary>As stored (ISO-8601 text); null when the query did not select it.</summary>
    public string? CreatedAt { get; init; }

    /// <summary>Marked trusted by an administrator: its jobs may run unisolated (see <c>Queue.ProjectTrust</c>).</summary>
    public bool Trusted { get; init; }

    /// <summary>Whether instance runners take this project's jobs (GitLab's <c>shared_runners_enabled</c>; default true).</summary>
    public bool SharedRunnersEnabled { get; init; } = true;

    /// <summary>The namespace: the path up to its last <c>/</c>.</summary>
    public string Namespace => Path.Contains('/', StringComparison.Ordinal) ? Path[..Path.LastIndexOf('/')] : "";

    /// <summary>The last segment of the path.</summary>
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}

/// <summary>A registered runner; its token is stored only as a hash.</summary>
public sealed record RunnerRecord
{
    public long Id { get; init; }

    public string Description { get; init; } = "";

    /// <summary>Comma-separated tags, as stored.</summary>
    public string Tags { get; init; } = "";

    public bool RunUntagged { get; init; }

    public bool Paused { get; init; }

    /// <summary>As stored; null when the query did not select it or the runner never called.</summary>
    public string? ContactedAt { get; init; }

    /// <summary>As stored; null when the query did not select it.</summary>
    public string? CreatedAt { get; init; }

    /// <summary>GitLab's <c>runner_type</c>: <c>instance_type</c>, <c>group_type</c> or <c>project_type</c>.</summary>
    public string RunnerType { get; init; } = RunnerTypes.Instance;

    /// <summary>The group of a group runner; null for the others.</summary>
    public long? GroupId { get; init; }

    /// <summary>A project runner that cannot be enabled in other projects.</summary>
    public bool Locked { get; init; }

    /// <summary><c>not_protected</c> or <c>ref_protected</c> (only jobs of protected refs).</summary>
    public string AccessLevel { get; init; } = "not_protected";

    /// <summary>The longest a job may run on this runner, in seconds; null: no limit of its own.</summary>
    public int? MaximumTimeout { get; init; }

    /// <summary>Who created it (<c>POST /user/runners</c>); null for older or registration-token runners.</summary>
    public long? CreatorId { get; init; }

    public IReadOnlyList<string> TagList => Storage.Tags.Split(Tags);
}

/// <summary>GitLab's three runner types: who a runner serves (see <c>Queue.RunnerReach</c>).</summary>
public static class RunnerTypes
{
    public const string Instance = "instance_type";
    public const string Group = "group_type";
    public const string Project = "project_type";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Instance, Group, Project };
}

/// <summary>A pipeline row: its status, the context its jobs run with, and the engine state as JSON (null when the compile failed).</summary>
public sealed record PipelineRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    public string Ref { get; init; } = "";

    public string Sha { get; init; } = "";

    public CiStatus Status { get; init; }

    /// <summary>The status column as stored (GitLab's name), which the SQL layer selects as <c>stored_status</c>.</summary>
    internal string StoredStatus { get => Status.ToGitLab(); init => Status = CiStatusNames.FromStored(value); }

    public string ContextJson { get; init; } = "";

    /// <summary>Whether the pipeline has an engine state (not when its configuration failed). Read it with <see cref="IPipelineStore.GetPipelineStateAsync"/>.</summary>
    public bool HasState { get; init; }

    /// <summary>Counts the state's writes (the cache key of parsed states).</summary>
    public long Version { get; init; }

    public string? DiagnosticsJson { get; init; }

    /// <summary>The user who caused the pipeline (its job tokens act as this user); null for pipelines made before users were recorded.</summary>
    public long? UserId { get; init; }

    /// <summary>GitLab's name of what started it (<c>push</c>, <c>api</c>, …), as stored beside the context; null when the query did not select it.</summary>
    public string? Source { get; init; }

    /// <summary>The pipeline's <c>workflow:name</c>; null when it has none (or the query did not select it).</summary>
    public string? Name { get; init; }

    /// <summary>As stored (ISO-8601 text); null when the query did not select it.</summary>
    public string? CreatedAt { get; init; }

    /// <summary>As stored (ISO-8601 text); null when the query did not select it.</summary>
    public string? UpdatedAt { get; init; }
}

/// <summary>One attempt of one job, as the queue sees it. The engine state stays the truth; this row is its projection plus the runner side.</summary>
public sealed record JobRecord
{
    public long Id { get; init; }

    public long PipelineId { get; init; }

    public long ProjectId { get; init; }

    public string Name { get; init; } = "";

    public string Stage { get; init; } = "";

    public int Attempt { get; init; }

    public CiStatus Status { get; init; }

    /// <summary>The status column as stored (GitLab's name), which the SQL layer selects as <c>stored_status</c>.</summary>
    internal string StoredStatus { get => Status.ToGitLab(); init => Status = CiStatusNames.FromStored(value); }

    public string Tags { get; init; } = "";

    public long? RunnerId { get; init; }

    public string? FailureReason { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>When its log and artifacts were erased (as stored); null while they are not.</summary>
    public string? ErasedAt { get; init; }

    /// <summary>Whether the runner still works on it (job tokens are valid only then).</summary>
    public bool IsProcessing => Status.IsExecuting();
}

/// <summary>A stored artifact file of a job.</summary>
public sealed record ArtifactRecord
{
    public long Id { get; init; }

    public long JobId { get; init; }

    public string FileType { get; init; } = "";

    public string FileFormat { get; init; } = "";

    public string Filename { get; init; } = "";

    public long Size { get; init; }

    public string BlobPath { get; init; } = "";

    public string? DotenvJson { get; init; }

    /// <summary>When it expires (as stored); null: kept for ever (no <c>expire_in</c>, or kept through the API).</summary>
    public string? ExpireAt { get; init; }
}

/// <summary>Tags as stored: trimmed, comma-separated, no empties.</summary>
public static class Tags
{
    public static IReadOnlyList<string> Split(string? tags) =>
        string.IsNullOrWhiteSpace(tags) ? [] : [.. tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static string Join(IEnumerable<string> tags) =>
        string.Join(',', tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal));
}

/// <summary>A pipeline row with its engine state parsed (null when it has none: not started, or its configuration failed).</summary>
public sealed record PipelineSnapshot(PipelineRecord Row, PipelineState? State);
