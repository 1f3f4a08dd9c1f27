using System.Net;
using System.Text;
using Relais.Protocol;
using Relais.Server.Auth;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>
/// The HTML endpoints over real HTTP (no browser): sign-in and sessions, who may see and change what, anti-forgery,
/// and what the pages render (statuses as words, escaped logs, the log tail, masked variables, diagnostics).
/// </summary>
public sealed class WebPageTests : IAsyncLifetime
{
    private const string TwoJobs = """
        build:
          stage: build
          script: [echo build]
        test:
          stage: test
          needs: [build]
          script: [echo test]
        deploy:
          stage: deploy
          when: manual
          needs: []
          script: [echo deploy]
        """;

    private WebServer _server = null!;

    public async Task InitializeAsync() => _server = await WebServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Password_sign_in_starts_a_cookie_session_and_sign_out_ends_it()
    {
        using var client = _server.NewClient(out var cookies);
        using var wrong = await WebServer.SignInAsync(client, "root", "not the password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Invalid login or password", await wrong.Content.ReadAsStringAsync());
        Assert.Null(cookies.GetCookies(new Uri(_server.Url))["relais_session"]);

        using var right = await WebServer.SignInAsync(client, "root", WebServer.RootPassword);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        var setCookie = string.Join("\n", right.Headers.GetValues("Set-Cookie"));
        Assert.Contains("relais_session=", setCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);

        using var homeResponse = await client.GetAsync("");
        Assert.Equal("DENY", homeResponse.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("text/html", homeResponse.Content.Headers.ContentType!.MediaType);
        var home = await homeResponse.Content.ReadAsStringAsync();
        Assert.Contains("Signed in as <strong>root</strong>", home);

        // Signing out needs the session's anti-forgery token.
        using var forged = await client.PostAsync("users/sign_out", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
        using var signOut = await client.PostAsync("users/sign_out", new FormUrlEncodedContent(new Dictionary<string, string> { ["authenticity_token"] = WebServer.HiddenToken(home) }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.DoesNotContain("Signed in as", await client.GetStringAsync(""));
    }

    [Fact]
    public async Task A_personal_access_token_signs_in_too_and_a_wrong_one_does_not()
    {
        using var client = _server.NewClient(out _);
        using var wrong = await WebServer.SignInAsync(client, null, "glpat-nope", withToken: true);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var right = await WebServer.SignInAsync(client, null, WebServer.AliceToken, withToken: true);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Contains("Signed in as <strong>alice</strong>", await client.GetStringAsync(""));
    }

    [Theory]
    [InlineData("//evil.example/x", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("/root/demo/-/pipelines?ref=main", "/root/demo/-/pipelines?ref=main")]
    public async Task Sign_in_only_returns_to_local_pages(string asked, string expected)
    {
        using var client = _server.NewClient(out _);
        var form = await client.GetStringAsync("users/sign_in?redirect_to=" + Uri.EscapeDataString(asked));
        using var response = await client.PostAsync("users/sign_in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["authenticity_token"] = WebServer.HiddenToken(form), ["username"] = "root", ["password"] = WebServer.RootPassword, ["redirect_to"] = asked,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Sign_in_without_the_form_token_is_refused()
    {
        using var client = _server.NewClient(out _);
        using var response = await client.PostAsync("users/sign_in", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "root", ["password"] = WebServer.RootPassword }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The form expired", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith("relais_session=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Private_projects_send_strangers_to_sign_in_are_404_for_other_users_and_public_ones_are_open()
    {
        var created = await _server.CreatePipelineAsync(TwoJobs);
        var path = $"root/demo/-/pipelines/{created.Id}";

        using var anonymous = _server.NewClient(out _);
        using var redirect = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/users/sign_in?redirect_to=" + Uri.EscapeDataString("/" + path), redirect.Headers.Location!.OriginalString);

        using var alice = _server.NewClient(out _);
        (await WebServer.SignInAsync(alice, null, WebServer.AliceToken, withToken: true)).Dispose();
        using var hidden = await alice.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.DoesNotContain("root/demo", await anonymous.GetStringAsync(""));

        var project = (await _server.Host.Stores.Projects.FindProjectAsync("root/demo"))!;
        await _server.Host.Stores.Projects.SetProjectVisibilityAsync(project.Id, "public");
        var page = await anonymous.GetStringAsync(path);
        Assert.Contains($"Pipeline #{created.Id}", page);
        Assert.DoesNotContain("Cancel pipeline", page); // readers get no buttons

        // Reading is open; acting is not: strangers are sent to sign in, other users are forbidden.
        using var anonymousCancel = await anonymous.PostAsync(path + "/cancel", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.Redirect, anonymousCancel.StatusCode);
        using var aliceCancel = await alice.PostAsync(path + "/cancel", new FormUrlEncodedContent(new Dictionary<string, string> { ["authenticity_token"] = WebServer.HiddenToken(await alice.GetStringAsync("")) }));
        Assert.Equal(HttpStatusCode.Forbidden, aliceCancel.StatusCode);
        Assert.Equal(CiStatus.Pending, (await _server.Host.Stores.Pipelines.GetPipelineAsync(created.Id))!.Status);
    }

    [Fact]
    public async Task The_pipeline_page_shows_jobs_by_stage_with_needs_and_statuses_in_words_and_its_actions_need_the_form_token()
    {
        var created = await _server.CreatePipelineAsync(TwoJobs);
        using var root = await SignedInRootAsync();
        var page = await root.GetStringAsync($"root/demo/-/pipelines/{created.Id}");
        Assert.Contains("<h2 class=\"stage-name\">build</h2>", page);
        Assert.Contains("<h2 class=\"stage-name\">deploy</h2>", page);
        Assert.Contains("data-needs=\"0\"", page); // test needs build (job index 0)
        Assert.Contains("<span class=\"status-icon\" aria-hidden=\"true\">◷</span> pending", page);
        Assert.Contains("<span class=\"status-icon\" aria-hidden=\"true\">⚙</span> manual", page);
        Assert.Contains("aria-label=\"Play deploy\"", page);

        using var forged = await root.PostAsync($"root/demo/-/pipelines/{created.Id}/cancel", new FormUrlEncodedContent(new Dictionary<string, string> { ["authenticity_token"] = "forged" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
        Assert.Equal(CiStatus.Pending, (await _server.Host.Stores.Pipelines.GetPipelineAsync(created.Id))!.Status);

        using var cancel = await root.PostAsync($"root/demo/-/pipelines/{created.Id}/cancel", new FormUrlEncodedContent(new Dictionary<string, string> { ["authenticity_token"] = WebServer.HiddenToken(page) }));
        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        Assert.Equal(CiStatus.Canceled, (await _server.Host.Stores.Pipelines.GetPipelineAsync(created.Id))!.Status);
    }

    [Fact]
    public async Task The_pipeline_list_filters_by_ref_and_status_and_shows_source_and_commit()
    {
        var onMain = await _server.CreatePipelineAsync(TwoJobs);
        var onFeature = await _server.CreatePipelineAsync(TwoJobs, gitRef: "feature");
        var broken = await _server.CreatePipelineAsync("job: [unclosed");
        using var root = await SignedInRootAsync();

        var all = await root.GetStringAsync("root/demo/-/pipelines");
        Assert.Contains($">#{onMain.Id}</a>", all);
        Assert.Contains($">#{broken.Id}</a>", all);
        Assert.Contains("<code title=\"" + new string('a', 40) + "\">aaaaaaaa</code>", all);
        Assert.Contains(">push</td>", all);

        var feature = await root.GetStringAsync("root/demo/-/pipelines?ref=feature");
        Assert.Contains($">#{onFeature.Id}</a>", feature);
        Assert.DoesNotContain($">#{onMain.Id}</a>", feature);

        var failed = await root.GetStringAsync("root/demo/-/pipelines?status=failed");
        Assert.Contains($">#{broken.Id}</a>", failed);
        Assert.DoesNotContain($">#{onMain.Id}</a>", failed);

        var diagnostics = await root.GetStringAsync($"root/demo/-/pipelines/{broken.Id}");
        Assert.Contains("This pipeline&#39;s configuration is invalid", diagnostics.Replace("'", "&#39;", StringComparison.Ordinal));
        Assert.Contains("<strong><span aria-hidden=\"true\">✗</span> error</strong>", diagnostics);
    }

    [Fact]
    public async Task A_hostile_log_renders_as_text_and_a_big_log_shows_only_its_tail_with_a_raw_link()
    {
        var created = await _server.CreatePipelineAsync(TwoJobs);
        var jobId = await _server.JobIdAsync(created.Id, "build");
        var log = new StringBuilder("FIRST LINE\n");
        for (var i = 0; log.Length < 2 * 1024 * 1024; i++)
        {
            log.Append("line ").Append(i).Append(" \x1b[32mgreen\x1b[0m padding padding padding padding\n");
        }

        log.Append("<script>document.title='owned'</script>\n\x1b[1mLAST LINE\x1b[0m\n");
        var bytes = Encoding.UTF8.GetBytes(log.ToString());
        await _server.Host.Traces.AppendAsync(jobId, 0, new MemoryStream(bytes), CancellationToken.None);

        using var root = await SignedInRootAsync();
        var page = await root.GetStringAsync($"root/demo/-/jobs/{jobId}");
        Assert.Contains("<span class=\"b \">LAST LINE</span>", page);
        Assert.Contains("&lt;script&gt;document.title=&#39;owned&#39;&lt;/script&gt;", page);
        Assert.DoesNotContain("<script>document.title", page);
        Assert.DoesNotContain("FIRST LINE", page);
        Assert.Contains("Showing the last 256.0 KiB of 2.0 MiB", page);
        Assert.Contains($"href=\"/root/demo/-/jobs/{jobId}/raw\"", page);

        using var raw = await root.GetAsync($"root/demo/-/jobs/{jobId}/raw");
        Assert.Equal("text/plain", raw.Content.Headers.ContentType!.MediaType);
        Assert.Equal(bytes.Length, (await raw.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Artifacts_are_listed_from_the_zip_and_downloaded_as_attachments()
    {
        var created = await _server.CreatePipelineAsync(TwoJobs);
        var jobId = await _server.JobIdAsync(created.Id, "build");
        using var zipBytes = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(zipBytes, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("dist/");
            await using (var entry = zip.CreateEntry("dist/<i>page&.html").Open())
            {
                await entry.WriteAsync(Encoding.UTF8.GetBytes("<script>alert(1)</script>"));
            }
        }

        zipBytes.Position = 0;
        var ctx = _server.Host;
        var (relative, size) = await ctx.Blobs.SaveAsync(jobId, "archive", "artifacts.zip", zipBytes, CancellationToken.None);
        await ctx.Stores.Artifacts.SaveArtifactAsync(new() { JobId = jobId, FileType = "archive", FileFormat = "zip", Filename = "artifacts.zip", Size = size, BlobPath = relative }, DateTimeOffset.UtcNow, null);

        using var root = await SignedInRootAsync();
        var job = await root.GetStringAsync($"root/demo/-/jobs/{jobId}");
        Assert.Contains($"href=\"/root/demo/-/jobs/{jobId}/artifacts/browse\"", job);
        var browse = await root.GetStringAsync($"root/demo/-/jobs/{jobId}/artifacts/browse");
        Assert.Contains($"href=\"/root/demo/-/jobs/{jobId}/artifacts/browse/dist/\">dist/</a>", browse);
        browse = await root.GetStringAsync($"root/demo/-/jobs/{jobId}/artifacts/browse/dist/");
        Assert.Contains(">dist/&lt;i&gt;page&amp;.html</a>", browse);
        Assert.Contains("/artifacts/file/dist/%3Ci%3Epage%26.html", browse);

        using var file = await root.GetAsync($"root/demo/-/jobs/{jobId}/artifacts/file/dist/%3Ci%3Epage%26.html");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/octet-stream", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("<script>alert(1)</script>", await file.Content.ReadAsStringAsync());

        using var archive = await root.GetAsync($"root/demo/-/jobs/{jobId}/artifacts/download");
        Assert.Equal("application/zip", archive.Content.Headers.ContentType!.MediaType);
        Assert.Equal(size, (await archive.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(HttpStatusCode.NotFound, (await root.GetAsync($"root/demo/-/jobs/{jobId}/artifacts/file/dist/missing.txt")).StatusCode);
    }

    [Fact]
    public async Task Masked_variable_values_never_reach_the_page()
    {
        var project = await _server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        await _server.Host.Stores.Variables.CreateVariableAsync(new() { ProjectId = project.Id, Key = "SECRET", Value = "s3cr3t-value-123", Masked = true, Protected = true }, DateTimeOffset.UtcNow);
        await _server.Host.Stores.Variables.CreateVariableAsync(new() { ProjectId = project.Id, Key = "PLAIN", Value = "visible-value" }, DateTimeOffset.UtcNow);
        using var root = await SignedInRootAsync();
        var page = await root.GetStringAsync("root/demo/-/settings/ci_cd");
        Assert.Contains("SECRET", page);
        Assert.DoesNotContain("s3cr3t-value-123", page);
        Assert.Contains("masked: never shown", page);
        Assert.Contains("visible-value", page);

        using var alice = _server.NewClient(out _);
        (await WebServer.SignInAsync(alice, null, WebServer.AliceToken, withToken: true)).Dispose();
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("root/demo/-/settings/ci_cd")).StatusCode);
    }

    [Fact]
    public async Task Settings_change_visibility_and_runners_are_for_administrators()
    {
        var project = await _server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        using var root = await SignedInRootAsync();
        var edit = await root.GetStringAsync("root/demo/edit");
        using var save = await root.PostAsync("root/demo/edit", new FormUrlEncodedContent(new Dictionary<string, string> { ["authenticity_token"] = WebServer.HiddenToken(edit), ["visibility"] = "public" }));
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal("public", (await _server.Host.Stores.Projects.GetProjectAsync(project.Id))!.Visibility);

        await _server.Host.Stores.Runners.CreateRunnerAsync(Tokens.Hash("glrt-x"), "my <b>runner</b>", "docker,linux", true, DateTimeOffset.UtcNow);
        var runners = await root.GetStringAsync("admin/runners");
        Assert.Contains("my &lt;b&gt;runner&lt;/b&gt;", runners);
        Assert.Contains("never contacted", runners);
        Assert.Contains("docker, linux", runners);
        Assert.Contains("<code class=\"registration-token\">" + Relais.Server.RunnerApi.RegistrationTokens.Prefix, runners); // for gitlab-runner register --registration-token

        using var alice = _server.NewClient(out _);
        (await WebServer.SignInAsync(alice, null, WebServer.AliceToken, withToken: true)).Dispose();
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("admin/runners")).StatusCode);
        using var anonymous = _server.NewClient(out _);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("admin/runners")).StatusCode);
    }

    [Fact]
    public async Task Protected_branches_are_listed_added_and_removed_in_the_settings()
    {
        var project = await _server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        await _server.Host.Stores.Projects.ProtectBranchAsync(new() { ProjectId = project.Id, Name = "main" }, DateTimeOffset.UtcNow);
        using var root = await SignedInRootAsync();
        var edit = await root.GetStringAsync("root/demo/edit");
        Assert.Contains("<code>main</code>", edit);
        var token = WebServer.HiddenToken(edit);

        using var protect = await root.PostAsync("root/demo/-/protected_branches", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["authenticity_token"] = token, ["branch"] = "release/*", ["push_access_level"] = "0", ["merge_access_level"] = "30", ["allow_force_push"] = "true",
        }));
        Assert.Equal(HttpStatusCode.Redirect, protect.StatusCode);
        var release = (await _server.Host.Stores.Projects.ListProtectedBranchesAsync(project.Id)).Single(b => b.Name == "release/*");
        Assert.Equal((0, 30, true), (release.PushAccessLevel, release.MergeAccessLevel, release.AllowForcePush));
        var listed = await root.GetStringAsync("root/demo/edit");
        Assert.Contains("<code>release/*</code></td><td data-label=\"Allowed to push\">No one</td><td data-label=\"Allowed to merge\">Developers + Maintainers</td>", listed);

        using var again = await root.PostAsync("root/demo/-/protected_branches", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["authenticity_token"] = token, ["branch"] = "release/*", ["push_access_level"] = "40", ["merge_access_level"] = "40",
        }));
        Assert.Contains("error=exists", again.Headers.Location!.OriginalString);

        using var unprotect = await root.PostAsync("root/demo/-/protected_branches/unprotect", new FormUrlEncodedContent(new Dictionary<string, string> { ["authenticity_token"] = token, ["branch"] = "release/*" }));
        Assert.Equal(HttpStatusCode.Redirect, unprotect.StatusCode);
        Assert.DoesNotContain(await _server.Host.Stores.Projects.ListProtectedBranchesAsync(project.Id), b => b.Name == "release/*");
    }

    [Fact]
    public async Task The_root_password_is_generated_into_a_private_file_when_none_is_given()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "relais-web-tests", Guid.NewGuid().ToString("N"));
        var output = new StringWriter();
        await using (var host = await Relais.Server.ServerHost.StartAsync(new Relais.Server.ServerOptions { DataDir = dataDir, Urls = "http://127.0.0.1:0", Output = output }))
        {
            var file = Path.Combine(dataDir, "initial-root-password");
            var password = (await File.ReadAllTextAsync(file)).Trim();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Contains(password, output.ToString());
            var account = await host.Stores.Identity.FindSignInAsync("root");
            Assert.True(Passwords.Verify(password, account!.PasswordHash));
            Assert.DoesNotContain(password, account.PasswordHash!);
            Assert.False(Passwords.Verify("wrong", account.PasswordHash));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task A_ci_skip_push_shows_in_the_pipeline_list_as_skipped()
    {
        using var work = new TempDirectory();
        TestGit.InitRepository(work.Path, (".gitlab-ci.yml", "build:\n  script: [echo build]\n"));
        TestGit.Commit(work.Path, "Bump the image [ci skip]", ("deploy.yml", "image: app:1.0.1\n"));
        TestGit.Run(work.Path, "push", "--quiet", $"http://root:{WebServer.RootToken}@{new Uri(_server.Url).Authority}/root/skip.git", "main");
        using var root = await SignedInRootAsync();

        var list = await root.GetStringAsync("root/skip/-/pipelines");

        Assert.Contains("status-skipped", list);
        Assert.Contains(">push</td>", list);
    }

    private async Task<HttpClient> SignedInRootAsync()
    {
        var client = _server.NewClient(out _);
        using var response = await WebServer.SignInAsync(client, "root", WebServer.RootPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }
}
