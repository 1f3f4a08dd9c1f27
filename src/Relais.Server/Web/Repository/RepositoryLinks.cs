using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Repository;

/// <summary>
/// The addresses of a project's repository pages, GitLab's: <c>/GROUP/PROJECT/-/tree|blob|raw|commits/REF/PATH</c>
/// and <c>/-/commit/SHA</c>. Every segment of a ref or path is escaped on its own, so <c>/</c> stays a separator and
/// nothing else (<c>#</c>, <c>?</c>, spaces) changes the address.
/// </summary>
internal static class RepositoryLinks
{
    public static string Home(ProjectRecord project) => "/" + project.Path;

    public static string Tree(ProjectRecord project, string gitRef, string path = "") => Page(project, "tree", gitRef, path);

    public static string Blob(ProjectRecord project, string gitRef, string path) => Page(project, "blob", gitRef, path);

    public static string Raw(ProjectRecord project, string gitRef, string path) => Page(project, "raw", gitRef, path);

    public static string Commits(ProjectRecord project, string gitRef) => Page(project, "commits", gitRef, "");

    public static string Commit(ProjectRecord project, string sha) => $"/{project.Path}/-/commit/{Uri.EscapeDataString(sha)}";

    public static string Branches(ProjectRecord project) => $"/{project.Path}/-/branches";

    public static string Tags(ProjectRecord project) => $"/{project.Path}/-/tags";

    /// <summary>Each segment of <paramref name="path"/> escaped, slashes kept.</summary>
    public static string Escape(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static string Page(ProjectRecord project, string kind, string gitRef, string path) =>
        $"/{project.Path}/-/{kind}/{Escape(gitRef)}" + (path.Length == 0 ? "" : "/" + Escape(path));

    /// <summary>
    /// A README's relative addresses resolved against its directory at its ref: links to the blob page, images to
    /// the raw page; <c>?query</c> and <c>#fragment</c> are kept; a path that climbs above the root stays at the root.
    /// </summary>
    public sealed class Relative(ProjectRecord project, string gitRef, string directory) : MarkdownHtml.IRelativeLinks
    {
        public string Link(string relative) => Resolve(relative, (p, path) => Blob(p, gitRef, path));

        public string Image(string relative) => Resolve(relative, (p, path) => Raw(p, gitRef, path));

        private string Resolve(string relative, Func<ProjectRecord, string, string> page)
        {
            var cut = relative.IndexOfAny(['?', '#']);
            var (target, rest) = cut < 0 ? (relative, "") : (relative[..cut], relative[cut..]);
            var segments = new List<string>(target.StartsWith('/') || directory.Length == 0 ? [] : directory.Split('/'));
            foreach (var segment in Uri.UnescapeDataString(target).Split('/'))
            {
                if (segment == "..")
                {
                    if (segments.Count > 0)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }
                }
                else if (segment is not ("" or "."))
                {
                    segments.Add(segment);
                }
            }

            var path = string.Join('/', segments);
            return (path.Length == 0 ? Tree(project, gitRef) : page(project, path)) + rest;
        }
    }
}
