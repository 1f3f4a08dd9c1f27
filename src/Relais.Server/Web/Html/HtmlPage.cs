using System.Text;
using Microsoft.AspNetCore.Http;

namespace Relais.Server.Web.Html;

/// <summary>
/// A rendered page as a result, with the headers every page carries: a Content-Security-Policy that allows only
/// this server's own stylesheet and script (no inline script or style: the pages have none, and extended log
/// colours are applied by relais.js), forms posting only here, no framing by other sites (the pages have buttons
/// that act), no MIME sniffing, no full URLs in the Referer to other sites, and no caching of private data.
/// </summary>
internal sealed class HtmlPage(string html, int status) : IResult
{
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>The policy of every page. <c>connect-src 'self'</c> covers the live log (EventSource) and the pipeline page's refresh (fetch).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XFrameOptions = "DENY";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-store";
        var bytes = Encoding.UTF8.GetBytes(html);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }
}
