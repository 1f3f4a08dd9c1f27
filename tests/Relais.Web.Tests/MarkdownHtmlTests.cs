using Relais.Server.Storage;
using Relais.Server.Web.Html;
using Relais.Server.Web.Repository;

namespace Relais.Web.Tests;

/// <summary>READMEs rendered: Markdown as HTML, with no way for the text to add markup, script, styles or unsafe links.</summary>
public sealed class MarkdownHtmlTests
{
    private static readonly ProjectRecord Project = new() { Id = 1, Path = "acme/app" };

    private static string Render(string markdown, string directory = "") =>
        MarkdownHtml.Render(markdown, new RepositoryLinks.Relative(Project, "feature/x", directory)).Value;

    [Fact]
    public void Markdown_becomes_html()
    {
        var html = Render("# Title\n\nSome **bold** and `code`.\n\n- [x] done\n- [ ] todo\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        Assert.Contains("<h1 id=\"title\">Title</h1>", html);
        Assert.Contains("<strong>bold</strong>", html);
        Assert.Contains("<code>code</code>", html);
        Assert.Contains("<table>", html);
        Assert.Contains("type=\"checkbox\"", html);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("text <b onclick=\"alert(1)\">inline</b> html")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    public void Raw_html_in_the_text_is_written_as_text(string markdown)
    {
        var html = Render(markdown);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<b ", html);
        Assert.DoesNotContain("<iframe", html);
        Assert.Contains("&lt;", html);
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JavaScript:alert(1))")]
    [InlineData("[x]( java\tscript:alert(1))")]
    [InlineData("[x](vbscript:msgbox)")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("![x](javascript:alert(1))")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[x][r]\n\n[r]: javascript:alert(1)")]
    [InlineData("[x](//evil.example/path)")]
    public void Links_with_unsafe_schemes_lose_their_address(string markdown)
    {
        var html = Render(markdown);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"vbscript", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"data:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\" java", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("evil.example", html);
    }

    [Fact]
    public void Safe_absolute_links_stay_and_relative_ones_go_to_the_blob_and_raw_pages()
    {
        Assert.Contains("href=\"https://example.com/a?b=1\"", Render("[x](https://example.com/a?b=1)"));
        Assert.Contains("href=\"mailto:a@example.com\"", Render("[x](mailto:a@example.com)"));
        Assert.Contains("href=\"#usage\"", Render("[x](#usage)"));
        Assert.Contains("href=\"/acme/app/-/blob/feature/x/docs/guide.md#intro\"", Render("[x](docs/guide.md#intro)"));
        Assert.Contains("href=\"/acme/app/-/blob/feature/x/docs/my%20file.md\"", Render("[x](<docs/my file.md>)"));
        Assert.Contains("src=\"/acme/app/-/raw/feature/x/img/logo.png\"", Render("![x](./img/logo.png)"));
        Assert.Contains("href=\"/acme/app/-/blob/feature/x/LICENSE\"", Render("[x](../LICENSE)", "docs"));
        Assert.Contains("href=\"/acme/app/-/blob/feature/x/LICENSE\"", Render("[x](../../../LICENSE)", "docs"));
        Assert.Contains("href=\"/acme/app/-/blob/feature/x/root.md\"", Render("[x](/root.md)", "docs"));
    }

    [Fact]
    public void Table_alignment_writes_no_inline_style()
    {
        var html = Render("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        Assert.DoesNotContain("style", html);
        Assert.Contains("<td>2</td>", html);
    }
}
