using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// A project cluster as GitLab's API shows it (<c>Entities::Cluster</c>, with <c>project</c> for a single one): the
/// token is never shown; <c>provider_type</c> is always <c>user</c> ("existing cluster") and there is no management project.
/// </summary>
internal sealed class ClusterViews(IIdentityStore identity, string externalUrl)
{
    public async Task<Dictionary<string, object?>> ViewAsync(ClusterRecord c, ProjectRecord? project, CancellationToken cancel)
    {
        var user = c.UserId is { } id ? await identity.GetUserAccountAsync(id, cancel) : null;
        var view = new Dictionary<string, object?>
        {
            ["id"] = c.Id,
            ["name"] = c.Name,
            ["created_at"] = ApiJson.Time(c.CreatedAt),
            ["domain"] = c.Domain,
            ["enabled"] = c.Enabled,
            ["managed"] = c.Managed,
            ["provider_type"] = "user",
            ["platform_type"] = "kubernetes",
            ["environment_scope"] = c.EnvironmentScope,
            ["cluster_type"] = "project_type",
            ["namespace_per_environment"] = c.NamespacePerEnvironment,
            ["user"] = user is null ? null : UserShapes.Basic(user, externalUrl),
            ["platform_kubernetes"] = new Dictionary<string, object?>
            {
                ["api_url"] = c.ApiUrl,
                ["namespace"] = c.Namespace,
                ["authorization_type"] = c.AuthorizationType,
                ["ca_cert"] = c.CaCert,
            },
            ["provider_gcp"] = null,
            ["management_project"] = null,
        };
        if (project is not null)
        {
            view["project"] = new Dictionary<string, object?>
            {
                ["id"] = project.Id,
                ["description"] = null,
                ["name"] = project.Name,
                ["name_with_namespace"] = project.Path.Replace("/", " / ", StringComparison.Ordinal),
                ["path"] = project.Name,
                ["path_with_namespace"] = project.Path,
                ["created_at"] = ApiJson.Time(project.CreatedAt),
            };
        }

        return view;
    }
}
