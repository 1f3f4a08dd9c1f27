using System.Text;
using Relais.Server.Web.Logs;

namespace Relais.Web.Tests;

/// <summary>The log renderer on its own: colours, carriage returns, sections, and hostile text staying text.</summary>
public sealed class LogRendererTests
{
    private static string Render(string log, LogRenderer? renderer = null)
    {
        var html = new StringBuilder();
        (renderer ?? new LogRenderer()).Render(Encoding.UTF8.GetBytes(log), 0, html);
        return html.ToString();
    }

    [Fact]
    public void Ansi_colours_become_classes_and_reset_closes_them()
    {
        var html = Render("plain \x1b[31;1mred bold\x1b[0m after\n");
        Assert.Equal("<div class=\"l\">plain <span class=\"fg1 b \">red bold</span> after</div>", html);
    }

    [Fact]
    public void Extended_colours_are_data_attributes_and_other_escapes_are_dropped()
    {
        var html = Render("\x1b[38;5;208morange\x1b[0m \x1b[38;2;1;2;3mrgb\x1b[0m\x1b[2K\x1b[1A done\n");
        Assert.Contains("data-fg=\"#ff8700\">orange</span>", html);
        Assert.Contains("data-fg=\"#010203\">rgb</span>", html);
        Assert.DoesNotContain("style=", html); // the Content-Security-Policy allows no inline styles
        Assert.Contains(" done</div>", html);
        Assert.DoesNotContain("\x1b", html);
    }

    [Fact]
    public void Hostile_log_text_is_escaped_never_markup()
    {
        var html = Render("<script>alert('x')</script> & <img src=x onerror=alert(1)>\n\x1b[31m</div><b>\x1b[0m\n");
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("</div><b>", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;", html);
    }

    [Fact]
    public void Carriage_return_inside_a_line_keeps_what_follows_it()
    {
        var html = Render("progress 10%\rprogress 100%\r\n");
        Assert.Equal("<div class=\"l\">progress 100%</div>", html);
    }

    [Fact]
    public void Sections_make_a_header_with_a_toggle_mark_their_lines_and_record_their_duration()
    {
        var log = "before\n"
            + "\x1b[0Ksection_start:1700000000:build_step[collapsed=true]\r\x1b[0KBuilding\n"
            + "inside 1\n"
            + "\x1b[0Ksection_start:1700000001:nested\r\x1b[0KNested\n"
            + "deep\n"
            + "\x1b[0Ksection_end:1700000003:nested\r\x1b[0K\n"
            + "inside 2\n"
            + "\x1b[0Ksection_end:1700000065:build_step\r\x1b[0K\n"
            + "after\n";
        var html = Render(log);
        var lines = html.Split("<div", StringSplitOptions.RemoveEmptyEntries).Select(l => "<div" + l).ToList();
        Assert.Equal("<div class=\"l\">before</div>", lines[0]);
        Assert.StartsWith("<div class=\"l sh\" data-sec=\"s7-4\" data-collapsed=\"true\"><button type=\"button\" class=\"sec-toggle\"", lines[1]);
        Assert.Contains("Building<span class=\"sec-time\">", lines[1]);
        Assert.Equal("<div class=\"l\" data-s=\"s7-4\">inside 1</div>", lines[2]);
        Assert.StartsWith("<div class=\"l sh\" data-s=\"s7-4\" data-sec=", lines[3]);
        Assert.Contains("data-s=\"s7-4 s", lines[4]);
        Assert.Contains("deep", lines[4]);
        Assert.StartsWith("<div class=\"sec-end\"", lines[5]);
        Assert.Contains("data-duration=\"2s\"", lines[5]);
        Assert.Equal("<div class=\"l\" data-s=\"s7-4\">inside 2</div>", lines[6]);
        Assert.Contains("data-duration=\"1m 05s\"", lines[7]);
        Assert.Equal("<div class=\"l\">after</div>", lines[8]);
    }

    [Fact]
    public void A_renderer_keeps_colour_and_open_sections_across_chunks()
    {
        var renderer = new LogRenderer();
        var first = Render("section_start:1:s\r\x1b[0KHead\n\x1b[32mgreen starts\n", renderer);
        var second = Render("still green\n", renderer);
        Assert.Contains("class=\"l sh\"", first);
        Assert.Contains("<span class=\"fg2 \">still green</span>", second);
        Assert.Contains("data-s=\"s0-0\"", second);
    }

    [Fact]
    public void A_resumed_renderer_keeps_lines_in_the_sections_left_open()
    {
        var first = new LogRenderer();
        Render("section_start:100:outer\r\x1b[0KOuter\n", first);
        var resumed = LogRenderer.Resume(first.OpenSections + ",bad id:x:1,s1-1:<b>:2");
        var html = Render("inside\nsection_end:160:outer\r\x1b[0K\n", resumed);
        Assert.StartsWith("<div class=\"l\" data-s=\"s0-0\">inside</div>", html);
        Assert.Contains("data-for=\"s0-0\" data-duration=\"1m 00s\"", html);
        Assert.Equal("", LogRenderer.Resume("s1-1:<b>:2").OpenSections);
    }
}
