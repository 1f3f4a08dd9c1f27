using Relais.Pipelines.Context;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>
/// GitLab's <c>CI_DEPLOY_USER</c> and <c>CI_DEPLOY_PASSWORD</c>: when the project has a live deploy token named
/// <c>gitlab-deploy-token</c>, every new pipeline's jobs get its username and (masked) value; otherwise neither.
/// </summary>
public sealed class DeployTokenVariables(IDeployTokenStore store, SecretBox secrets, TimeProvider time)
{
    public const string TokenName = "gitlab-deploy-token";

    public async Task<IReadOnlyList<ContextVariable>> ForProjectAsync(long projectId)
    {
        var now = time.GetUtcNow();
        var token = (await store.ListAsync(projectId)).LastOrDefault(t => t.Name == TokenName && t.SealedToken is not null && t.IsActive(now));
        return token is null
            ? []
            : [new ContextVariable("CI_DEPLOY_USER", token.Username), new ContextVariable("CI_DEPLOY_PASSWORD", secrets.Unprotect(token.SealedToken!), Masked: true)];
    }
}
