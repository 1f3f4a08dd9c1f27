using Relais.Git;
using Relais.Server.Git;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// What the repository endpoints share: a project's bare repository (null before the first push) and commits shown
/// in GitLab's shape, with links into the web UI at <paramref name="externalUrl"/>.
/// </summary>
internal sealed class ProjectRepository(GitRepositories repositories, string externalUrl)
{
    /// <summary>The directory of the project's bare repository.</summary>
    public string PathOf(ProjectRecord project) => repositories.PathOf(project.Path);

    /// <summary>The project's bare repository; null while it has none.</summary>
    public GitRepository? Open(ProjectRecord project) =>
        repositories.Exists(project.Path) ? GitRepository.Bare(repositories.PathOf(project.Path)) : null;

    /// <summary>The project's bare repository, created empty when it has none yet (a commit made through the API).</summary>
    public async Task<GitRepository> OpenOrCreateAsync(ProjectRecord project, CancellationToken cancellationToken) =>
        GitRepository.Bare(await repositories.EnsureAsync(project.Path, cancellationToken));

    /// <summary>The web address of <paramref name="suffix"/> in the project (<c>-/tree/main</c>).</summary>
    public string WebUrl(ProjectRecord project, string suffix) => $"{externalUrl}/{project.Path}/-/{suffix}";

    public CommitView Commit(ProjectRecord project, CommitDetails c) => new(
        c.Sha,
        c.Sha[..Math.Min(8, c.Sha.Length)],
        ApiJson.Time(c.CommittedAt),
        c.ParentShas,
        c.Title,
        c.Message,
        c.AuthorName,
        c.AuthorEmail,
        ApiJson.Time(c.AuthoredAt),
        c.CommitterName,
        c.CommitterEmail,
        ApiJson.Time(c.CommittedAt),
        new Dictionary<string, string>(),
        WebUrl(project, "commit/" + c.Sha));

    /// <summary>The commits <paramref name="shas"/> (null ones skipped), each read once, by id.</summary>
    public async Task<IReadOnlyDictionary<string, CommitView>> CommitsAsync(
        ProjectRecord project, GitRepository git, IEnumerable<string?> shas, CancellationToken cancellationToken)
    {
        var wanted = shas.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return (await git.ReadCommitsAsync(wanted, cancellationToken)).ToDictionary(c => c.Sha, c => Commit(project, c), StringComparer.Ordinal);
    }

    /// <summary>A branch or tag name from a route value: still URL-encoded when it held <c>%2F</c>.</summary>
    public static string RouteName(string value) => Uri.UnescapeDataString(value);
}
