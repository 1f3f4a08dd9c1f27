namespace Relais.Server.Storage;

/// <summary>
/// One pipeline trigger token of a project (<c>/projects/:id/triggers</c>): known by the hash of its value; the value
/// itself is kept encrypted (<see cref="SealedToken"/>) only so its owner can see it again, as GitLab shows it. Times are
/// UTC text (<c>yyyy-MM-ddTHH:mm:ss.fffZ</c>).
/// </summary>
public sealed record PipelineTriggerRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    /// <summary>The user the trigger's pipelines run as (<c>owner</c>).</summary>
    public long OwnerId { get; init; }

    public string Description { get; init; } = "";

    public string TokenHash { get; init; } = "";

    /// <summary>The token, encrypted with the server's secret key (<c>SecretBox</c>).</summary>
    public string SealedToken { get; init; } = "";

    public string CreatedAt { get; init; } = "";

    public string UpdatedAt { get; init; } = "";

    /// <summary>When a pipeline was last triggered with the token; null: never.</summary>
    public string? LastUsedAt { get; init; }
}
