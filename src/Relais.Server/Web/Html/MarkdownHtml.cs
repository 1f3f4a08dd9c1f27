using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Relais.Server.Web.Html;

/// <summary>
/// Markdown from a repository (a README) as HTML that is safe to put in a page: CommonMark with pipe tables, task
/// lists, autolinks and heading anchors, and nothing that can carry markup or script. Raw HTML in the text is
/// written as text (Markdig's <c>DisableHtml</c>); a link or image whose scheme is not <c>http</c>, <c>https</c> or
/// <c>mailto</c> (<c>javascript:</c>, <c>data:</c>, <c>vbscript:</c>…) loses its address; relative ones are resolved
/// by the caller's <see cref="IRelativeLinks"/> (to the blob and raw pages). Table alignment is dropped, as it would
/// be written as an inline style, which the pages' Content-Security-Policy forbids.
/// </summary>
internal static class MarkdownHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseTaskLists()
        .UseAutoLinks()
        .UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub)
        .UseEmphasisExtras()
        .DisableHtml()
        .Build();

    /// <summary>What a relative address in the document becomes: a link (to the blob or tree page) or an image (to the raw page).</summary>
    public interface IRelativeLinks
    {
        string Link(string relative);

        string Image(string relative);
    }

    public static RawHtml Render(string markdown, IRelativeLinks links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            link.GetDynamicUrl = null;
            link.Url = Resolve(link.Url, link.IsImage, links);
            link.Reference = null;
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!autolink.IsEmail && Resolve(autolink.Url, false, links) != autolink.Url)
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url)); // <javascript:…> stays text
            }
        }

        foreach (var column in document.Descendants<Table>().SelectMany(t => t.ColumnDefinitions))
        {
            column.Alignment = null;
        }

        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return new RawHtml(writer.ToString());
    }

    /// <summary>An address as written (null: none) → the one to put in the page; empty when it is not safe.</summary>
    internal static string Resolve(string? url, bool image, IRelativeLinks links)
    {
        var address = (url ?? "").Trim();
        if (address.Length == 0 || address.StartsWith('#'))
        {
            return address;
        }

        if (address.StartsWith("//", StringComparison.Ordinal) || address.StartsWith('\\'))
        {
            return ""; // another host without a scheme
        }

        if (Scheme(address) is { } scheme)
        {
            return scheme is "http" or "https" || (scheme == "mailto" && !image) ? address : "";
        }

        return image ? links.Image(address) : links.Link(address);
    }

    /// <summary>The scheme of an absolute address, lower case (control characters and spaces ignored, as browsers do); null for a relative one.</summary>
    private static string? Scheme(string address)
    {
        var cleaned = new string([.. address.Where(c => !char.IsControl(c) && c != ' ')]);
        var colon = cleaned.IndexOf(':', StringComparison.Ordinal);
        var end = cleaned.IndexOfAny(['/', '?', '#']);
        if (colon <= 0 || (end >= 0 && end < colon))
        {
            return null;
        }

        return cleaned[..colon].ToLowerInvariant();
    }
}
