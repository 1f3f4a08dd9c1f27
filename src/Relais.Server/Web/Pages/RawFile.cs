using Microsoft.AspNetCore.Http;
using Relais.Git;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A file's bytes as <c>/-/raw/REF/PATH</c> sends them, streamed from git: never as a type a browser would run or
/// render (HTML, SVG, script). Text (no NUL byte in its first <see cref="SniffBytes"/>, git's own test) is
/// <c>text/plain; charset=utf-8</c>; anything else is <c>application/octet-stream</c> with <c>Content-Disposition:
/// attachment</c>, as is every file asked for with <c>?inline=false</c> (the download link). <c>nosniff</c> keeps the
/// browser to that type, and a sandboxing Content-Security-Policy covers a response opened as a page.
/// </summary>
internal sealed class RawFile(GitRepository git, TreeEntry entry) : IResult
{
    /// <summary>How much of a file is looked at to tell text from binary.</summary>
    public const int SniffBytes = 8000;

    public const string TextType = "text/plain; charset=utf-8";

    public const string BinaryType = "application/octet-stream";

    /// <summary>Binary: a NUL byte in the first <see cref="SniffBytes"/>.</summary>
    public static bool IsBinary(ReadOnlySpan<byte> content) => content[..Math.Min(content.Length, SniffBytes)].Contains((byte)0);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var download = httpContext.Request.Query["inline"] == "false";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        response.Headers.CacheControl = "private, no-store";
        response.ContentLength = entry.Size;
        await git.CopyBlobAsync(entry.ObjectId, response.Body, SniffBytes, head =>
        {
            var binary = IsBinary(head.Span);
            response.ContentType = binary ? BinaryType : TextType;
            if (binary || download)
            {
                response.Headers.ContentDisposition = $"attachment; filename=\"{Ascii(entry.Name)}\"; filename*=UTF-8''{Uri.EscapeDataString(entry.Name)}";
            }
        }, httpContext.RequestAborted);
    }

    /// <summary>The name with anything outside printable ASCII (and quotes, backslashes) replaced, for the plain <c>filename</c>.</summary>
    private static string Ascii(string name) => new([.. name.Select(c => c is >= ' ' and < (char)127 and not '"' and not '\\' ? c : '_')]);
}
