using Relais.Server.Api;
using Relais.Server.Storage;

namespace Relais.Server.Registry;

/// <summary>What a credential lets its holder do in the registry at most, before any project's role is asked (GitLab's authentication abilities).</summary>
[Flags]
public enum RegistryAbilities
{
    None = 0,

    /// <summary>Pull (<c>read_registry</c>, <c>read_api</c>, <c>api</c>, a password, anyone on a public project).</summary>
    Pull = 1,

    /// <summary>Push (<c>write_registry</c>, <c>api</c>, a password).</summary>
    Push = 2,

    /// <summary>Delete and <c>*</c> (<c>api</c>, a password).</summary>
    Delete = 4,
}

/// <summary>
/// Who asks the token endpoint for a registry token: nobody (anonymous), a user (by personal access token or password,
/// with the abilities its scopes give), a running job (its <see cref="ApiCaller.Job"/> set, acting as the user who
/// caused its pipeline) or a deploy token (its one project).
/// </summary>
internal sealed record RegistryCaller(string Subject, RegistryAbilities Abilities, ApiCaller? Caller = null, DeployTokenRecord? DeployToken = null)
{
    public static RegistryCaller Anonymous { get; } = new("", RegistryAbilities.Pull);

    public JobRecord? Job => Caller?.Job;

    /// <summary>A user signed in by token or password (not a job, not a deploy token).</summary>
    public bool IsUser => Caller?.User is not null && Job is null;
}
