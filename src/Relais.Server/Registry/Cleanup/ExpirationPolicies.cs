using Relais.Server.Storage;

namespace Relais.Server.Registry.Cleanup;

/// <summary>
/// Reads and changes projects' cleanup policies for the API (<c>container_expiration_policy</c> of
/// <c>GET/PUT /projects/:id</c>) and the settings page: validation as GitLab's, and <c>next_run_at</c> moved to now
/// plus the cadence at every change, as GitLab does.
/// </summary>
public sealed class ExpirationPolicies(IContainerExpirationPolicyStore store, TimeProvider time)
{
    /// <summary>The project's policy (GitLab's defaults when it never set one).</summary>
    public async Task<ContainerExpirationPolicyRecord> GetAsync(long projectId, CancellationToken cancel = default) =>
        await store.GetAsync(projectId, cancel) ?? ExpirationPolicyRules.Default(projectId);

    public async Task<ExpirationPolicyView> ViewAsync(long projectId, CancellationToken cancel = default) =>
        ExpirationPolicyView.Of(await GetAsync(projectId, cancel));

    /// <summary>
    /// Applies <paramref name="attributes"/> to the project's policy and stores it; on a problem stores nothing and
    /// returns either the parameter of the wrong type (<c>Invalid</c>) or the validation errors by field (<c>Problems</c>).
    /// </summary>
    public async Task<(ContainerExpirationPolicyRecord? Saved, string? Invalid, IReadOnlyDictionary<string, string[]>? Problems)> UpdateAsync(
        long projectId, IReadOnlyDictionary<string, string?> attributes, CancellationToken cancel = default)
    {
        var (policy, invalid) = ExpirationPolicyInput.Apply(await GetAsync(projectId, cancel), attributes);
        if (policy is null)
        {
            return (null, invalid, null);
        }

        if (ExpirationPolicyRules.Problems(policy) is { Count: > 0 } problems)
        {
            return (null, null, problems);
        }

        var now = time.GetUtcNow();
        var saved = policy with { NextRunAt = ExpirationPolicyRules.NextRunAt(policy, now) };
        await store.SaveAsync(saved, now, CancellationToken.None);
        return (saved, null, null);
    }
}
