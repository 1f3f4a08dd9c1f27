using Relais.Server.Api;
using Relais.Server.Storage;

namespace Relais.Server.Registry.Cleanup;

/// <summary><c>container_expiration_policy</c> in a project's JSON, GitLab's fields.</summary>
public sealed record ExpirationPolicyView(string Cadence, bool Enabled, int? KeepN, string? OlderThan, string? NameRegex, string? NameRegexKeep, string? NextRunAt)
{
    public static ExpirationPolicyView Of(ContainerExpirationPolicyRecord policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new(policy.Cadence, policy.Enabled, policy.KeepN, policy.OlderThan, policy.NameRegex, policy.NameRegexKeep, ApiJson.Time(policy.NextRunAt));
    }
}
