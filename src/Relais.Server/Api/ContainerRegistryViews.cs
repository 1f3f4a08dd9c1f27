using Relais.Server.Registry;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// The container registry API's shapes, as GitLab's <c>ContainerRegistry::Repository</c>, <c>Tag</c> and
/// <c>TagDetails</c> entities: a repository's <c>path</c> is its registry path and <c>location</c> that path with the
/// registry's address (what <c>docker pull</c> takes); a tag's <c>path</c>/<c>location</c> add <c>:TAG</c>.
/// </summary>
internal sealed class ContainerRegistryViews(RegistrySetup registry, string externalUrl)
{
    /// <summary>A repository; <paramref name="extras"/> holds the fields asked for (<c>tags</c>, <c>tags_count</c>, <c>size</c>) and is written after the fixed ones.</summary>
    public Dictionary<string, object?> Repository(ContainerRepositoryRecord repository, ProjectRecord project, bool canDelete, IReadOnlyDictionary<string, object?>? extras = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(project);
        var path = repository.PathIn(project.Path);
        var view = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = repository.Id,
            ["name"] = repository.Name,
            ["path"] = path,
            ["project_id"] = project.Id,
            ["location"] = registry.Address + "/" + path,
            ["created_at"] = ApiJson.Time(repository.CreatedAt),
            ["cleanup_policy_started_at"] = repository.CleanupPolicyStartedAt is { } started ? ApiJson.Time(started) : null,
        };
        foreach (var (key, value) in extras ?? new Dictionary<string, object?>())
        {
            view[key] = value;
        }

        if (canDelete)
        {
            view["delete_api_path"] = $"{externalUrl.TrimEnd('/')}/api/v4/projects/{project.Id}/registry/repositories/{repository.Id}";
        }

        view["status"] = null;
        return view;
    }

    /// <summary>A tag in a list: name, path and location.</summary>
    public Dictionary<string, object?> Tag(string repositoryPath, string tag) => new(StringComparer.Ordinal)
    {
        ["name"] = tag,
        ["path"] = repositoryPath + ":" + tag,
        ["location"] = registry.Address + "/" + repositoryPath + ":" + tag,
    };

    /// <summary>One tag's details: GitLab's <c>revision</c> is the config blob's digest (hex), <c>digest</c> the manifest's.</summary>
    public Dictionary<string, object?> TagDetails(string repositoryPath, RegistryTagDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var view = Tag(repositoryPath, details.Name);
        var revision = details.ConfigDigest is { } config ? config[(config.IndexOf(':', StringComparison.Ordinal) + 1)..] : null;
        view["revision"] = revision;
        view["short_revision"] = revision is null ? null : revision[..Math.Min(9, revision.Length)];
        view["digest"] = details.Digest;
        view["created_at"] = ApiJson.Time(details.CreatedAt);
        view["total_size"] = details.TotalSize;
        return view;
    }
}
