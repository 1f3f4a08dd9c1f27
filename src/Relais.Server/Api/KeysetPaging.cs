using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Relais.Server.Api;

/// <summary>
/// GitLab's keyset pagination (<c>pagination=keyset</c>, <c>order_by=id</c>, <c>sort</c> asc or desc, <c>per_page</c>):
/// a page is the rows after <c>id_after</c> (ascending) or before <c>id_before</c> (descending), and the only header is
/// <c>Link</c> with <c>rel="next"</c> while more rows follow (no totals, no page numbers), which python-gitlab follows
/// with <c>get_all=True</c>. Any other <c>order_by</c> is GitLab's 405.
/// </summary>
internal sealed record KeysetPaging(bool Ascending, int PerPage, long? After, long? Before)
{
    /// <summary>GitLab's answer to keyset pagination on an order it cannot page by.</summary>
    public static IResult NotAvailable() =>
        ApiJson.Ok(new Dictionary<string, string> { ["error"] = "Keyset pagination is not yet available for this type of request" }, StatusCodes.Status405MethodNotAllowed);

    public static bool Requested(HttpRequest request) => request.Query["pagination"] == "keyset";

    /// <summary>The paging asked for; null when the order is not one keyset pagination supports (only <c>id</c>).</summary>
    public static KeysetPaging? From(HttpRequest request)
    {
        var q = request.Query;
        if (q["order_by"].ToString() is not ("id" or "") || q["sort"].ToString() is not ("asc" or "desc" or ""))
        {
            return null;
        }

        return new KeysetPaging(q["sort"] == "asc", Paging.From(request).PerPage, Id(q["id_after"]), Id(q["id_before"]));
    }

    /// <summary>This page of <paramref name="rows"/> (already filtered), and writes the <c>Link</c> to the next one when there is more.</summary>
    public IReadOnlyList<T> Page<T>(HttpResponse response, IEnumerable<T> rows, Func<T, long> id)
    {
        ArgumentNullException.ThrowIfNull(response);
        var matching = rows.Where(r => (After is not { } a || id(r) > a) && (Before is not { } b || id(r) < b));
        var ordered = (Ascending ? matching.OrderBy(id) : matching.OrderByDescending(id)).Take(PerPage + 1).ToList();
        var page = ordered.Take(PerPage).ToList();
        if (ordered.Count > PerPage)
        {
            response.Headers.Link = NextLink(response.HttpContext.Request, id(page[^1]));
        }

        return page;
    }

    private string NextLink(HttpRequest request, long last)
    {
        var query = request.Query
            .Where(q => q.Key is not ("id_after" or "id_before" or "page"))
            .SelectMany(q => q.Value.Select(v => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(v ?? "")))
            .Append((Ascending ? "id_after=" : "id_before=") + last.ToString(CultureInfo.InvariantCulture));
        return $"<{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}>; rel=\"next\"";
    }

    private static long? Id(Microsoft.Extensions.Primitives.StringValues value) =>
        long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
