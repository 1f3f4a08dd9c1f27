using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>
/// A CI/CD variable of a project, a group or the instance (<see cref="VariableOwner"/>). Its value is handed to pipelines
/// created afterwards (protected ones only on protected refs; scoped ones only to jobs of a matching environment).
/// </summary>
public sealed record VariableRecord
{
    /// <summary>The owner's id: the project's, the group's (group variables), or 0 (instance variables).</summary>
    public long ProjectId { get; init; }

    /// <summary>GitLab's <c>environment_scope</c>: <c>*</c> (every job) or an environment name or pattern; one key exists once per scope.</summary>
    public string EnvironmentScope { get; init; } = "*";

    public string? Description { get; init; }

    public string Key { get; init; } = "";

    public string Value { get; init; } = "";

    /// <summary><c>env_var</c> or <c>file</c>.</summary>
    public string VariableType { get; init; } = "env_var";

    public bool Protected { get; init; }

    public bool Masked { get; init; }

    public bool Raw { get; init; }
}

/// <summary>Whose CI/CD variables: the instance's (<see cref="Id"/> 0), a group's or a project's.</summary>
public readonly record struct VariableOwner(VariableLevel Level, long Id)
{
    public static VariableOwner Instance => new(VariableLevel.Instance, 0);

    public static VariableOwner Group(long id) => new(VariableLevel.Group, id);

    public static VariableOwner Project(long id) => new(VariableLevel.Project, id);
}

/// <summary>The levels CI/CD variables are defined at, in ascending precedence.</summary>
public enum VariableLevel
{
    Instance,
    Group,
    Project,
}

/// <summary>A group's variable as a project under it inherits it: <see cref="GroupPath"/> says how near the group is (longer: nearer).</summary>
public sealed record InheritedVariableRecord(string GroupPath, VariableRecord Variable);

/// <summary>A filter for listing: the statuses wanted (empty: all), and one page.</summary>
public sealed record ListQuery(IReadOnlyList<CiStatus> Statuses, int Offset, int Limit)
{
    /// <summary>Only this ref (pipelines); null: any.</summary>
    public string? Ref { get; init; }

    /// <summary>Only pipelines of this commit; null: any.</summary>
    public string? Sha { get; init; }
}

/// <summary>One page of a list, and how many rows match in all.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

/// <summary>A pipeline variable as given when the pipeline was created (API, trigger, schedule, the "Run pipeline" page).</summary>
public sealed record PipelineVariableRecord(string Key, string Value, string VariableType = "env_var", bool Raw = false);

/// <summary>What deleting a pipeline left to remove from disk: the jobs' logs (by job id) and the artifact blobs (relative paths).</summary>
public sealed record DeletedPipeline(IReadOnlyList<long> JobIds, IReadOnlyList<string> ArtifactBlobs);
