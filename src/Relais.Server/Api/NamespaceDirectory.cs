using System.Globalization;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Finds namespaces, users' and groups' (one space: a top-level group's path is never a username), and shows them
/// in GitLab's shapes. A numeric id is a group's id (a user's namespace is found by its path, the username).
/// </summary>
internal sealed class NamespaceDirectory(IGroupStore groupStore, IIdentityStore identityStore, string externalUrl)
{
    /// <summary>A group by numeric id or (URL-encoded) full path.</summary>
    public async Task<GroupRecord?> FindGroupAsync(string id, CancellationToken cancel)
    {
        var key = Uri.UnescapeDataString(id);
        return long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric)
            ? await groupStore.GetGroupAsync(numeric, cancel)
            : await groupStore.FindGroupAsync(key.Trim('/'), cancel);
    }

    /// <summary>The namespace at <paramref name="fullPath"/>: a group, else a user, else null.</summary>
    public async Task<NamespaceView?> FindAsync(string fullPath, CancellationToken cancel) =>
        await groupStore.FindGroupAsync(fullPath, cancel) is { } group ? Of(group)
        : !fullPath.Contains('/', StringComparison.Ordinal) && await identityStore.FindSignInAsync(fullPath, cancel) is { } user ? Of(user.Id, user.Username)
        : null;

    /// <summary>The project's namespace (guessed from its path when it is neither a group nor a user any more).</summary>
    public async Task<NamespaceView?> OfProjectAsync(ProjectRecord project, CancellationToken cancel) => await FindAsync(project.Namespace, cancel);

    public NamespaceView Of(GroupRecord g) => new(g.Id, g.Name, g.Path, "group", g.FullPath, g.ParentId, externalUrl + "/groups/" + g.FullPath);

    public NamespaceView Of(long userId, string username) => new(userId, username, username, "user", username, null, externalUrl + "/" + username);

    public GroupView View(GroupRecord g, IReadOnlyList<GroupRecord> all)
    {
        var names = new List<string>();
        for (var at = g; at is not null; at = at.ParentId is { } parent ? all.FirstOrDefault(x => x.Id == parent) : null)
        {
            names.Insert(0, at.Name);
        }

        return new GroupView(
            g.Id, externalUrl + "/groups/" + g.FullPath, g.Name, g.Path, g.Description, g.Visibility, string.Join(" / ", names), g.FullPath, g.ParentId,
            ApiJson.Time(g.CreatedAt), "maintainer", "maintainer");
    }
}
