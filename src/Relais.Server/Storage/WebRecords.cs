using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>A user as sign-in sees them: who, and their password hash (null until one is set).</summary>
public sealed record SignInRecord
{
    public long Id { get; init; }

    public string Username { get; init; } = "";

    public bool IsAdmin { get; init; }

    public string? PasswordHash { get; init; }

    public UserRecord User => new() { Id = Id, Username = Username, IsAdmin = IsAdmin };
}

/// <summary>What a pipeline list shows beyond the row: its context (source) and when its jobs started and finished.</summary>
public sealed record PipelineSummaryRecord(long Id, string ContextJson, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

/// <summary>A job a runner works on now, with its project's path for links.</summary>
public sealed record RunnerJobRecord
{
    public long Id { get; init; }

    public string Name { get; init; } = "";

    public CiStatus Status { get; init; }

    /// <summary>The status column as stored (GitLab's name), which the SQL layer selects as <c>stored_status</c>.</summary>
    internal string StoredStatus { get => Status.ToGitLab(); init => Status = CiStatusNames.FromStored(value); }

    public long RunnerId { get; init; }

    public string ProjectPath { get; init; } = "";
}
