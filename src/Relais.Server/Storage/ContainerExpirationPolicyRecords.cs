namespace Relais.Server.Storage;

/// <summary>
/// A project's cleanup policy for its container images (GitLab's <c>ContainerExpirationPolicy</c>); a project that
/// never set one has GitLab's defaults (<c>Registry.Cleanup.ExpirationPolicyRules.Default</c>). No defaults here: a
/// column read as NULL leaves its property as initialised. Times are UTC text (<see cref="SqlKeyStore.StoredTime"/>),
/// compared as text when the due policies are looked up.
/// </summary>
public sealed record ContainerExpirationPolicyRecord
{
    public long ProjectId { get; init; }

    public bool Enabled { get; init; }

    /// <summary>How often it runs: <c>1d</c>, <c>7d</c>, <c>14d</c>, <c>1month</c> or <c>3month</c>.</summary>
    public string Cadence { get; init; } = "1d";

    public int? KeepN { get; init; }

    /// <summary><c>7d</c>, <c>14d</c>, <c>30d</c>, <c>60d</c>, <c>90d</c> or null.</summary>
    public string? OlderThan { get; init; }

    /// <summary>The names to delete (GitLab's <c>name_regex</c>).</summary>
    public string? NameRegex { get; init; }

    public string? NameRegexKeep { get; init; }

    /// <summary>When it runs next (null: never stored, so never due).</summary>
    public string? NextRunAt { get; init; }

    public string? UpdatedAt { get; init; }
}
