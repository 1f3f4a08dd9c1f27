using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Relais.Server.Api;

namespace Relais.Server.Web;

/// <summary>
/// Lets every route written as <c>/{group}/{name}/-/…</c> (web pages) or <c>/{group}/{project}.git/…</c> (git over
/// HTTP) serve projects in nested groups, in one place: before routing, a path whose project part (before <c>/-/</c>,
/// or up to the <c>NAME.git</c> segment) has more than two segments is rewritten so that the namespace is one segment
/// (<c>/acme/web/app/-/pipelines</c> → <c>/acme%2Fweb/app/-/pipelines</c>); after routing, the <c>group</c> route value
/// is decoded back (<c>acme/web</c>) and the request path restored. Handlers see <c>group</c> as the full namespace.
/// A project's home (<c>/acme/web/app</c>) and settings (<c>…/edit</c>) fold the same way, and so do group pages
/// (<c>/groups/acme/web/-/group_members</c> → <c>/groups/acme%2Fweb/-/group_members</c>). Other paths under the
/// server's own top-level names (<c>/api</c>, <c>/users</c>, <c>/-/</c>…) are left alone.
/// </summary>
internal static class NestedProjectPaths
{
    private const string Encoded = "%2F";
    private const string OriginalPathKey = "relais.nested.original-path";

    /// <summary>Adds the rewrite, the routing step and the decoding, in that order (call first, before other middleware).</summary>
    public static void Use(WebApplication app)
    {
        app.Use((http, next) =>
        {
            if (Rewrite(http.Request.Path.Value ?? "") is { } rewritten)
            {
                http.Items[OriginalPathKey] = http.Request.Path;
                http.Request.Path = new PathString(rewritten);
            }

            return next(http);
        });
        app.UseRouting();
        app.Use((http, next) =>
        {
            if (http.Items.TryGetValue(OriginalPathKey, out var original) && original is PathString path)
            {
                http.Request.Path = path;
            }

            if (http.Request.RouteValues.TryGetValue("group", out var value) && value is string group && group.Contains(Encoded, StringComparison.OrdinalIgnoreCase))
            {
                http.Request.RouteValues["group"] = group.Replace(Encoded, "/", StringComparison.OrdinalIgnoreCase);
            }

            return next(http);
        });
    }

    /// <summary>The path with its namespace folded into one segment, or null when it needs no rewriting.</summary>
    public static string? Rewrite(string path)
    {
        var segments = path.Split('/');
        if (segments.Length < 4 || segments[0].Length != 0)
        {
            return null;
        }

        if (segments[1] == "groups")
        {
            return RewriteGroup(segments);
        }

        if (ReservedNamespaces.Contains(segments[1]))
        {
            return null;
        }

        // The project's last segment: the one before "-", or the one ending in ".git" that has more after it; else
        // before a final "edit" or "edit/trusted" (settings); else the last one (the project's home).
        var n = segments.Length;
        var end = Enumerable.Range(1, n - 2).FirstOrDefault(i => segments[i + 1] == "-" || segments[i].EndsWith(".git", StringComparison.Ordinal));
        if (end == 0)
        {
            end = segments[^1] == "edit" ? n - 2 : segments[^1] == "trusted" && segments[^2] == "edit" ? n - 3 : n - 1;
        }

        return segments[end].Length == 0 ? null : Fold(segments, 1, end);
    }

    /// <summary><c>/groups/acme/web</c> and <c>/groups/acme/web/-/…</c>: the group's full path becomes one segment.</summary>
    private static string? RewriteGroup(string[] segments)
    {
        var dash = Array.IndexOf(segments, "-", 2);
        return Fold(segments, 2, dash < 0 ? segments.Length : dash);
    }

    /// <summary>Joins segments [<paramref name="from"/>, <paramref name="end"/>) with %2F; null when fewer than two or any is empty.</summary>
    private static string? Fold(string[] segments, int from, int end)
    {
        if (end - from < 2 || segments[from..end].Any(s => s.Length == 0))
        {
            return null;
        }

        return string.Join('/', segments[..from]) + "/" + string.Join(Encoded, segments[from..end]) + string.Concat(segments[end..].Select(s => "/" + s));
    }
}
