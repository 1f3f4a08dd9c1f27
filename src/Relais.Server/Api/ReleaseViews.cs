using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Releases and their links in GitLab's shape: <c>author</c>, <c>commit</c>, <c>commit_path</c>, <c>tag_path</c>,
/// <c>upcoming_release</c>, <c>assets</c> (<c>count</c>, <c>sources</c> — archives of the tag from
/// <c>/repository/archive</c> — and <c>links</c>), <c>evidences</c> (none) and <c>_links</c>.
/// </summary>
internal sealed class ReleaseViews(IReleaseStore releases, IIdentityStore identities, ProjectRepository repository, string externalUrl)
{
    private static readonly string[] Formats = ["zip", "tar.gz", "tar"];

    /// <summary>The views of <paramref name="list"/>, reading each author, commit and the links once.</summary>
    public async Task<List<Dictionary<string, object?>>> OfAsync(ProjectRecord project, IReadOnlyList<ReleaseRecord> list, DateTimeOffset now, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(list);
        var links = (await releases.ListLinksAsync([.. list.Select(r => r.Id)], cancel)).ToLookup(l => l.ReleaseId);
        var git = repository.Open(project);
        var commits = git is null ? new Dictionary<string, CommitView>() : await repository.CommitsAsync(project, git, list.Select(r => r.Sha), cancel);
        var authors = new Dictionary<long, UserAccountRecord?>();
        foreach (var id in list.Select(r => r.AuthorId).OfType<long>().Distinct())
        {
            authors[id] = await identities.GetUserAccountAsync(id, cancel);
        }

        return [.. list.Select(r => View(
            project,
            r,
            [.. links[r.Id]],
            r.AuthorId is { } a ? authors.GetValueOrDefault(a) : null,
            r.Sha is { } sha ? commits.GetValueOrDefault(sha) : null,
            now))];
    }

    public async Task<Dictionary<string, object?>> OfAsync(ProjectRecord project, ReleaseRecord release, DateTimeOffset now, CancellationToken cancel) =>
        (await OfAsync(project, [release], now, cancel))[0];

    /// <summary>A link: <c>direct_asset_url</c> is its address under the release when it has a <c>direct_asset_path</c>.</summary>
    public Dictionary<string, object?> Link(ProjectRecord project, string tagName, ReleaseLinkRecord link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return new()
        {
            ["id"] = link.Id,
            ["name"] = link.Name,
            ["url"] = link.Url,
            ["direct_asset_url"] = link.DirectAssetPath is { } path ? ReleaseUrl(project, tagName) + "/downloads" + path : link.Url,
            ["link_type"] = link.LinkType,
        };
    }

    /// <summary>The release's page in the web UI.</summary>
    public string ReleaseUrl(ProjectRecord project, string tagName) => repository.WebUrl(project, "releases/" + Uri.EscapeDataString(tagName));

    private Dictionary<string, object?> View(ProjectRecord project, ReleaseRecord r, List<ReleaseLinkRecord> links, UserAccountRecord? author, CommitView? commit, DateTimeOffset now)
    {
        var tag = Uri.EscapeDataString(r.TagName);
        var api = $"{externalUrl}/api/v4/projects/{project.Id}/repository/archive";
        var sources = Formats.Select(f => new Dictionary<string, string> { ["format"] = f, ["url"] = $"{api}.{f}?sha={tag}" }).ToList();
        var self = ReleaseUrl(project, r.TagName);
        var issues = $"{externalUrl}/{project.Path}/-/issues?release_tag={tag}&scope=all";
        var merges = $"{externalUrl}/{project.Path}/-/merge_requests?release_tag={tag}&scope=all";
        return new()
        {
            ["name"] = r.Name,
            ["tag_name"] = r.TagName,
            ["description"] = r.Description,
            ["created_at"] = ApiJson.Time(r.CreatedAt),
            ["released_at"] = ApiJson.Time(r.ReleasedAt),
            ["upcoming_release"] = DateTimeOffset.TryParse(ApiJson.Time(r.ReleasedAt), System.Globalization.CultureInfo.InvariantCulture, out var at) && at > now,
            ["author"] = author is null ? null : UserShapes.Basic(author, externalUrl),
            ["commit"] = commit,
            ["commit_path"] = r.Sha is { } sha ? $"/{project.Path}/-/commit/{sha}" : null,
            ["tag_path"] = $"/{project.Path}/-/tags/{tag}",
            ["assets"] = new Dictionary<string, object?>
            {
                ["count"] = sources.Count + links.Count,
                ["sources"] = sources,
                ["links"] = links.Select(l => Link(project, r.TagName, l)).ToList(),
            },
            ["evidences"] = Array.Empty<object>(),
            ["_links"] = new Dictionary<string, string>
            {
                ["closed_issues_url"] = issues.Replace("scope=all", "scope=all&state=closed", StringComparison.Ordinal),
                ["closed_merge_requests_url"] = merges.Replace("scope=all", "scope=all&state=closed", StringComparison.Ordinal),
                ["edit_url"] = self + "/edit",
                ["merged_merge_requests_url"] = merges.Replace("scope=all", "scope=all&state=merged", StringComparison.Ordinal),
                ["opened_issues_url"] = issues.Replace("scope=all", "scope=all&state=opened", StringComparison.Ordinal),
                ["opened_merge_requests_url"] = merges.Replace("scope=all", "scope=all&state=opened", StringComparison.Ordinal),
                ["self"] = self,
            },
        };
    }
}
