using Relais.Git;
using Relais.Server.Api;

namespace Relais.Server.Web.Repository;

/// <summary>
/// A ref and a path read from a repository page's address (<c>/-/tree/feature/x/src/app.txt</c>): the ref is the
/// longest branch or tag name the address starts with, as GitLab reads it, so refs holding <c>/</c> work; failing
/// that, a commit id as the first segment. A branch wins over a tag of the same name.
/// </summary>
/// <param name="Ref">The ref as named in the address (branch, tag or commit id).</param>
/// <param name="Commit">The commit it names.</param>
/// <param name="Path">The path after it (empty: the root), decoded and plain (no <c>.</c>, <c>..</c> or empty segment).</param>
internal sealed record RefPath(string Ref, string Commit, string Path)
{
    /// <summary>The ref and path of <paramref name="value"/> (a route's catch-all value); null when no ref matches or the path is not plain.</summary>
    public static async Task<RefPath?> ResolveAsync(GitRepository git, string? value, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(git);
        var text = Decode(value);
        if (text.Length == 0)
        {
            return null;
        }

        var branches = await git.ListAsync(RepositoryRefs.Branches, cancel);
        var tags = await git.ListAsync(RepositoryRefs.Tags, cancel);
        var named = branches.Select(b => (b.Name, Full: RepositoryRefs.Branches + b.Name))
            .Concat(tags.Select(t => (t.Name, Full: RepositoryRefs.Tags + t.Name)))
            .Where(r => text == r.Name || text.StartsWith(r.Name + "/", StringComparison.Ordinal))
            .OrderByDescending(r => r.Name.Length)
            .Select(r => ((string Name, string Full)?)r)
            .FirstOrDefault();
        var (name, revision) = named ?? (text.Split('/')[0] is { Length: >= 7 and <= 64 } sha && sha.All(char.IsAsciiHexDigit) ? (sha, sha) : ("", ""));
        if (name.Length == 0 || await git.ResolveCommitAsync(revision, cancel) is not { } commit)
        {
            return null;
        }

        var path = text.Length > name.Length ? text[(name.Length + 1)..].Trim('/') : "";
        return path.Length == 0 || RepositoryPaths.IsPlain(path) ? new RefPath(name, commit, path) : null;
    }

    /// <summary>
    /// A catch-all route value as text: the server decoded everything in the path except <c>%2F</c>, which stays
    /// encoded; a ref or path never holds that sequence itself, so it is read as the slash it stands for.
    /// </summary>
    internal static string Decode(string? value) => (value ?? "").Replace("%2F", "/", StringComparison.OrdinalIgnoreCase).Trim('/');
}
