namespace Relais.Web.Tests.Support;

/// <summary>
/// root/demo pushed to a <see cref="WebServer"/> with real git over HTTP: <c>main</c> with two commits (a README
/// with a script, a <c>javascript:</c> link, a relative link and image, and a table; text and docs first, then HTML
/// and a binary logo),
/// the branch <c>feature/x</c> one commit ahead of main, the branch <c>release</c> at the first commit and the tag
/// <c>release/1.0</c> at the second (so the longest ref name must win).
/// </summary>
internal sealed record DemoRepository(string First, string Second, string Feature)
{
    public const string Readme = """
        # Demo project

        Some **bold** text, a [guide](docs/guide.md) and ![the logo](img/logo.png).

        <script>window.readmeScriptRan = true;</script>

        [click me](javascript:window.readmeLinkRan=true)

        | left | right |
        |:-----|------:|
        | 1    | 2     |
        """;

    public static async Task<DemoRepository> PushAsync(WebServer server, string project = "root/demo")
    {
        using var dir = new TempDirectory();
        var work = dir.Path;
        var first = TestGit.InitRepository(work, ("README.md", Readme), ("src/app.txt", "one\n"), ("docs/guide.md", "# Guide\n"));
        Directory.CreateDirectory(Path.Combine(work, "img"));
        await File.WriteAllBytesAsync(Path.Combine(work, "img", "logo.png"), [0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3]);
        var second = TestGit.Commit(work, "Second commit\n\nWith a body.", ("src/app.txt", "one\ntwo\nthree\n"), ("page.html", "<html><script>alert(1)</script></html>\n"));
        TestGit.Run(work, "switch", "-q", "-c", "feature/x");
        var feature = TestGit.Commit(work, "Feature work", ("src/feature.txt", "feature\n"));
        TestGit.Run(work, "switch", "-q", "main");
        TestGit.Run(work, "tag", "release/1.0", second);
        var remote = server.Url.Replace("http://", $"http://root:{WebServer.RootToken}@", StringComparison.Ordinal) + "/" + project + ".git";
        TestGit.Run(work, "push", "-q", remote, "main", "feature/x", first + ":refs/heads/release", "refs/tags/release/1.0");
        return new DemoRepository(first, second, feature);
    }
}
