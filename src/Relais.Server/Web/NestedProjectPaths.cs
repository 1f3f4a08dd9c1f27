using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Relais.Server.Web;

/// <summary>
/// Lets every route written as <c>/{group}/{name}/-/…</c> (web pages) or <c>/{group}/{project}.git/…</c> (git over
/// HTTP) serve projects in nested groups, in one place: before routing, a path whose project part (before <c>/-/</c>,
/// or up to the <c>NAME.git</c> segment) has more than two segments is rewritten so that the namespace is one segment
/// (<c>/acme/web/app/-/pipelines</c> → <c>/acme%2Fweb/app/-/pipelines</c>); after routing, the <c>group</c> route value
/// is decoded back (<c>acme/web</c>) and the request path restored. Handlers see <c>group</c> as the full namespace.
/// Paths under the server's own top-level names (<c>/api</c>, <c>/groups</c>, <c>/-/</c>…) are left alone.
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
        if (segments.Length < 4 || segments[0].Length != 0 || Api.ReservedNamespaces.Contains(segments[1]))
        {
            return null;
        }

        // The project's last segment: the one before "-", or the one ending in ".git" that has more after it.
        var end = -1;
        for (var i = 1; i < segments.Length - 1; i++)
        {
            if (segments[i + 1] == "-" || segments[i].EndsWith(".git", StringComparison.Ordinal))
            {
                end = i;
                break;
            }
        }

        // Two segments (namespace and name) need nothing; more fold into one namespace segment. Empty segments never do.
        if (end < 3 || segments[1..end].Any(s => s.Length == 0))
        {
            return null;
        }

        return "/" + string.Join(Encoded, segments[1..end]) + "/" + string.Join('/', segments[end..]);
    }
}
