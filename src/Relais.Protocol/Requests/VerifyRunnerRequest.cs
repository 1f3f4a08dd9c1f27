using System.Text.Json.Serialization;

namespace Relais.Protocol.Requests;

/// <summary>The body of <c>POST /api/v4/runners/verify</c>: a runner checking its token.</summary>
public sealed record VerifyRunnerRequest
{
    /// <summary>The runner token (<c>glrt-…</c>; also accepted as the <c>RUNNER-TOKEN</c> header).</summary>
    public string Token { get; set; } = "";

    /// <summary>Identifies this runner manager.</summary>
    public string? SystemId { get; set; }

    /// <summary>What the runner is.</summary>
    public RunnerDetails? Info { get; set; }
}

/// <summary>
/// The answer to <c>POST /api/v4/runners/verify</c> (200) and to <c>POST /api/v4/user/runners</c> (201):
/// <c>{id, token, token_expires_at}</c>.
/// </summary>
public sealed record RunnerRegistration
{
    /// <summary>The runner's id on the server.</summary>
    public long Id { get; set; }

    /// <summary>The token, echoed (or, on creation, the new one).</summary>
    public string? Token { get; set; }

    /// <summary>When the token expires (RFC 3339), or null; written even when null, as GitLab does.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? TokenExpiresAt { get; set; }
}
