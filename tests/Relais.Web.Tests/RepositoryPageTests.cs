using System.Net;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>
/// The repository pages over real HTTP on a repository pushed with real git: raw files' headers, refs holding
/// slashes, line anchors, diffs, branches and tags, the empty repository's instructions, and 404s.
/// </summary>
public sealed class RepositoryPageTests : IAsyncLifetime
{
    private WebServer _server = null!;
    private DemoRepository _repo = null!;
    private HttpClient _root = null!;

    public async Task InitializeAsync()
    {
        _server = await WebServer.StartAsync(configure: o => o with { SshUrlBase = "ssh://git@relais.example:2222" });
        _repo = await DemoRepository.PushAsync(_server);
        _root = _server.NewClient(out _);
        _root.DefaultRequestHeaders.Add("PRIVATE-TOKEN", WebServer.RootToken);
    }

    public async Task DisposeAsync()
    {
        _root.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Raw_sends_text_as_plain_text_and_anything_else_as_an_attachment_never_sniffed()
    {
        using var text = await _root.GetAsync("root/demo/-/raw/main/src/app.txt");
        Assert.Equal(HttpStatusCode.OK, text.StatusCode);
        Assert.Equal("one\ntwo\nthree\n", await text.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", text.Content.Headers.ContentType!.ToString());
        Assert.Equal("nosniff", text.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", text.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Null(text.Content.Headers.ContentDisposition);

        // HTML in the repository is text to a browser, never a page of this origin.
        using var html = await _root.GetAsync("root/demo/-/raw/main/page.html");
        Assert.Equal("text/plain; charset=utf-8", html.Content.Headers.ContentType!.ToString());

        using var binary = await _root.GetAsync("root/demo/-/raw/main/img/logo.png");
        Assert.Equal("application/octet-stream", binary.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", binary.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("logo.png", binary.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3 }, await binary.Content.ReadAsByteArrayAsync());

        using var download = await _root.GetAsync("root/demo/-/raw/main/src/app.txt?inline=false");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
    }

    [Fact]
    public async Task Missing_refs_paths_and_commits_are_404_and_no_path_leaves_the_tree()
    {
        // The client and Kestrel remove "." and ".." segments before routing; an encoded slash is the way left to smuggle one.
        string[] paths =
        [
            "root/demo/-/raw/main/nope.txt",
            "root/demo/-/raw/main/src",
            "root/demo/-/raw/nope/src/app.txt",
            "root/demo/-/raw/main/src/..%2FREADME.md",
            "root/demo/-/raw/main/src%2F..%2F..%2FREADME.md",
            "root/demo/-/blob/main/nope.txt",
            "root/demo/-/tree/main/nope",
            "root/demo/-/tree/main/README.md",
            "root/demo/-/commits/nope",
            "root/demo/-/commit/0123456789abcdef0123456789abcdef01234567",
            "root/demo/-/commit/main",
            "root/nothere/-/tree/main",
        ];
        foreach (var path in paths)
        {
            using var response = await _root.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, path + " answered " + response.StatusCode);
        }
    }

    [Fact]
    public async Task A_private_projects_files_are_hidden_from_others()
    {
        using var anonymous = _server.NewClient(out _);
        using var toSignIn = await anonymous.GetAsync("root/demo/-/raw/main/src/app.txt");
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        Assert.StartsWith("/users/sign_in", toSignIn.Headers.Location!.OriginalString);

        using var alice = _server.NewClient(out _);
        alice.DefaultRequestHeaders.Add("PRIVATE-TOKEN", WebServer.AliceToken);
        foreach (var path in new[] { "root/demo", "root/demo/-/raw/main/src/app.txt", "root/demo/-/tree/main", "root/demo/-/commit/" + _repo.Second, "root/demo/-/branches" })
        {
            using var response = await alice.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_public_projects_files_are_readable_by_anyone()
    {
        var project = (await _server.Host.Stores.Projects.FindProjectAsync("root/demo"))!;
        await _server.Host.Stores.Projects.SetProjectVisibilityAsync(project.Id, "public");
        using var anonymous = _server.NewClient(out _);
        Assert.Contains("Demo project", await anonymous.GetStringAsync("root/demo"));
        Assert.Equal("one\ntwo\nthree\n", await anonymous.GetStringAsync("root/demo/-/raw/main/src/app.txt"));
        Assert.Contains("Second commit", await anonymous.GetStringAsync($"root/demo/-/commit/{_repo.Second}"));
    }

    [Fact]
    public async Task A_ref_holding_slashes_is_read_as_the_longest_branch_or_tag_name()
    {
        // Branch "release" (first commit, no page.html) and tag "release/1.0" (second commit, with it).
        Assert.Contains("page.html", await _root.GetStringAsync("root/demo/-/tree/release/1.0"));
        Assert.DoesNotContain("page.html", await _root.GetStringAsync("root/demo/-/tree/release"));
        Assert.Equal("one\ntwo\nthree\n", await _root.GetStringAsync("root/demo/-/raw/release/1.0/src/app.txt"));
        Assert.Equal("one\n", await _root.GetStringAsync("root/demo/-/raw/release/src/app.txt"));
        Assert.Equal("feature\n", await _root.GetStringAsync("root/demo/-/raw/feature/x/src/feature.txt"));
        Assert.Equal("feature\n", await _root.GetStringAsync("root/demo/-/raw/feature%2Fx/src/feature.txt"));
        Assert.Equal("one\n", await _root.GetStringAsync($"root/demo/-/raw/{_repo.First[..10]}/src/app.txt"));

        // The ref selector's choice lands on the same page at the other ref.
        using var switched = await _root.GetAsync("root/demo/-/refs/switch?destination=blob&path=src/app.txt&ref=feature%2Fx");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/root/demo/-/blob/feature/x/src/app.txt", switched.Headers.Location!.OriginalString);
        using var unknown = await _root.GetAsync("root/demo/-/refs/switch?destination=tree&ref=nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_file_has_numbered_lines_with_anchors_and_a_binary_one_a_download_link()
    {
        var blob = await _root.GetStringAsync("root/demo/-/blob/main/src/app.txt");
        Assert.Contains("<a id=\"L3\" href=\"#L3\">3</a>", blob);
        Assert.Contains("<code>three</code>", blob);
        Assert.DoesNotContain("id=\"L4\"", blob);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", await _root.GetStringAsync("root/demo/-/blob/main/page.html"));

        var binary = await _root.GetStringAsync("root/demo/-/blob/main/img/logo.png");
        Assert.Contains("This is a binary file", binary);
        Assert.Contains("href=\"/root/demo/-/raw/main/img/logo.png?inline=false\"", binary);

        using var directory = await _root.GetAsync("root/demo/-/blob/main/src");
        Assert.Equal("/root/demo/-/tree/main/src", directory.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_tree_lists_directories_first_with_each_entrys_last_commit()
    {
        var tree = await _root.GetStringAsync("root/demo/-/tree/main");
        var (docs, img, src, readme) = (tree.IndexOf("docs/</a>", StringComparison.Ordinal), tree.IndexOf("img/</a>", StringComparison.Ordinal), tree.IndexOf("src/</a>", StringComparison.Ordinal), tree.IndexOf(">README.md</a>", StringComparison.Ordinal));
        Assert.True(docs > 0 && docs < img && img < src && src < readme, tree);
        Assert.Contains($"href=\"/root/demo/-/commit/{_repo.Second}\">Second commit</a>", tree);
        Assert.Contains($"href=\"/root/demo/-/commit/{_repo.First}\">initial</a>", tree);
    }

    [Fact]
    public async Task A_commit_shows_its_message_parents_and_diff_lines_by_kind()
    {
        var commit = await _root.GetStringAsync($"root/demo/-/commit/{_repo.Second}");
        Assert.Contains("With a body.", commit);
        Assert.Contains($"href=\"/root/demo/-/commit/{_repo.First}\"", commit);
        Assert.Contains("<tr class=\"line-added\"><td class=\"ln\"></td><td class=\"ln\">2</td>", commit);
        Assert.Contains("<code>two</code>", commit);
        Assert.Contains("<tr class=\"line-context\"><td class=\"ln\">1</td><td class=\"ln\">1</td>", commit);
        Assert.Contains("Changes <small>3 files", commit); // app.txt, page.html and the logo
        Assert.Contains("Binary file", commit);

        var commits = await _root.GetStringAsync("root/demo/-/commits/main");
        Assert.Contains("Second commit", commits);
        Assert.Contains("initial", commits);
        Assert.DoesNotContain("Feature work", commits);
        Assert.Contains("Feature work", await _root.GetStringAsync("root/demo/-/commits/feature/x"));
    }

    [Fact]
    public async Task Branches_list_the_default_first_with_ahead_and_behind_and_protection_and_tags_their_commits()
    {
        var project = (await _server.Host.Stores.Projects.FindProjectAsync("root/demo"))!;
        await _server.Host.Stores.Projects.ProtectBranchAsync(new Relais.Server.Storage.ProtectedBranchRecord { ProjectId = project.Id, Name = "release" }, DateTimeOffset.UtcNow);
        var branches = await _root.GetStringAsync("root/demo/-/branches");
        var (main, feature, release) = (branches.IndexOf("data-branch=\"main\"", StringComparison.Ordinal), branches.IndexOf("data-branch=\"feature/x\"", StringComparison.Ordinal), branches.IndexOf("data-branch=\"release\"", StringComparison.Ordinal));
        Assert.True(main > 0 && main < feature && feature < release, branches);
        Assert.Contains("href=\"/root/demo/-/tree/feature/x\"", branches);
        Assert.Contains("title=\"1 commits ahead of main\"", branches[feature..release]);
        Assert.Contains("title=\"1 commits behind main\"", branches[release..]);
        Assert.Contains("protected", branches[release..]);
        Assert.DoesNotContain("protected", branches[feature..release]);

        var tags = await _root.GetStringAsync("root/demo/-/tags");
        Assert.Contains("href=\"/root/demo/-/tree/release/1.0\"", tags);
        Assert.Contains(_repo.Second[..8], tags);
    }

    [Fact]
    public async Task The_project_page_shows_clone_urls_the_readme_without_its_script_and_the_root_files()
    {
        var page = await _root.GetStringAsync("root/demo");
        Assert.Contains($"value=\"{_server.Url}/root/demo.git\"", page);
        Assert.Contains("value=\"ssh://git@relais.example:2222/root/demo.git\"", page);
        Assert.Contains("<strong>bold</strong>", page);
        Assert.Contains("&lt;script&gt;window.readmeScriptRan = true;&lt;/script&gt;", page);
        Assert.DoesNotContain("<script>window", page);
        Assert.DoesNotContain("javascript:", page);
        Assert.Contains("href=\"/root/demo/-/blob/main/docs/guide.md\"", page);
        Assert.Contains("src=\"/root/demo/-/raw/main/img/logo.png\"", page);
        Assert.DoesNotContain("style=", page);
        Assert.Contains("Second commit", page);
    }

    [Fact]
    public async Task An_empty_project_shows_how_to_push_with_its_clone_url()
    {
        await _server.Host.Stores.Projects.EnsureProjectAsync("root/empty", "main", DateTimeOffset.UtcNow);
        var page = await _root.GetStringAsync("root/empty");
        Assert.Contains("The repository for this project is empty", page);
        Assert.Contains("git remote add origin ssh://git@relais.example:2222/root/empty.git", page);
        Assert.Contains("git push --set-upstream origin main", page);
        Assert.Contains("No branches yet", await _root.GetStringAsync("root/empty/-/branches"));
        using var tree = await _root.GetAsync("root/empty/-/tree/main");
        Assert.Equal(HttpStatusCode.NotFound, tree.StatusCode);
    }
}
