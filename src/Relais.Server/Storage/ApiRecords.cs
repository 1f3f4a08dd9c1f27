using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>A project CI/CD variable. Its value is handed to pipelines created afterwards (protected ones only on protected refs).</summary>
public sealed record VariableRecord
{
    public long ProjectId { get; init; }

    public string Key { get; init; } = "";

    public string Value { get; init; } = "";

    /// <summary><c>env_var</c> or <c>file</c>.</summary>
    public string VariableType { get; init; } = "env_var";

    public bool Protected { get; init; }

    public bool Masked { get; init; }

    public bool Raw { get; init; }
}

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
