using System.Net;
using System.Net.Http.Json;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests;

public sealed class AuthTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Bad_or_unknown_tokens_get_401_or_403_with_a_bare_message(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(100));
        var http = server.Http;

        using (var none = await http.PostAsync("api/v4/user/runners", JsonContent.Create(new { runner_type = "instance_type" })))
        {
            await AssertErrorAsync(none, HttpStatusCode.Unauthorized, "401 Unauthorized");
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/v4/user/runners") { Content = JsonContent.Create(new { runner_type = "instance_type" }) })
        {
            request.Headers.Add("PRIVATE-TOKEN", "glpat-nope");
            await AssertErrorAsync(await http.SendAsync(request), HttpStatusCode.Unauthorized, "401 Unauthorized");
        }

        await AssertErrorAsync(await http.PostAsync("api/v4/jobs/request", TestServer.Json("""{"token":"glrt-unknown"}""")), HttpStatusCode.Forbidden, "403 Forbidden");
        await AssertErrorAsync(await http.PostAsync("api/v4/runners/verify", TestServer.Json("""{"token":"glrt-unknown"}""")), HttpStatusCode.Forbidden, "403 Forbidden");
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "api/v4/runners") { Content = TestServer.Json("""{"token":"glrt-unknown"}""") })
        {
            await AssertErrorAsync(await http.SendAsync(delete), HttpStatusCode.Forbidden, "403 Forbidden");
        }

        await AssertErrorAsync(await http.PutAsync("api/v4/jobs/1", TestServer.Json("""{"token":"glcbt-unknown","state":"success"}""")), HttpStatusCode.Forbidden, "403 Forbidden");
        await AssertErrorAsync(await http.PutAsync("api/v4/jobs/1", TestServer.Json("""{"state":"success"}""")), HttpStatusCode.Unauthorized, "401 Unauthorized");
        await AssertErrorAsync(await http.GetAsync("api/v4/jobs/1/artifacts?token=glcbt-unknown"), HttpStatusCode.Forbidden, "403 Forbidden");
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_job_token_works_only_for_its_own_job_and_a_runner_token_verifies_and_deletes(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(100));
        var (id, runner) = await server.RegisterRunnerAsync();
        using (var verify = await server.Http.PostAsync("api/v4/runners/verify", TestServer.Json($$"""{"token":"{{runner}}"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
            Assert.Contains($"\"id\":{id}", await verify.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await server.CreatePipelineAsync("a: {script: [echo]}\nb: {script: [echo]}");
        var a = await server.RequestJobAsync(runner);
        var b = await server.RequestJobAsync(runner);
        using (var cross = await server.UpdateJobAsync(a! with { Id = b!.Id }, "success"))
        {
            await AssertErrorAsync(cross, HttpStatusCode.Forbidden, "403 Forbidden");
            Assert.False(cross.Headers.Contains("Job-Status"));
        }

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "api/v4/runners") { Content = TestServer.Json($$"""{"token":"{{runner}}"}""") })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await server.Http.SendAsync(delete)).StatusCode);
        }

        await AssertErrorAsync(await server.Http.PostAsync("api/v4/jobs/request", TestServer.Json($$"""{"token":"{{runner}}"}""")), HttpStatusCode.Forbidden, "403 Forbidden");
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Without_a_root_token_the_first_start_writes_one_with_mode_600_and_later_starts_keep_it(string store)
    {
        var dir = Path.Combine(Path.GetTempPath(), "relais-server-tests", Guid.NewGuid().ToString("N"));
        var database = await Stores.CreateDatabaseAsync(store);
        var output = new StringWriter();
        await using (var host = await ServerHost.StartAsync(new ServerOptions { DataDir = dir, Database = database, Urls = "http://127.0.0.1:0", Output = output }))
        {
        }

        var file = Path.Combine(dir, "initial-root-token");
        var token = File.ReadAllText(file).Trim();
        Assert.Equal((byte)'g', File.ReadAllBytes(file)[0]); // no BOM: shells read it with $(cat …)
        Assert.StartsWith("glpat-", token, StringComparison.Ordinal);
        Assert.Contains(token, output.ToString(), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var again = new StringWriter();
        await using (var host = await ServerHost.StartAsync(new ServerOptions { DataDir = dir, Database = database, Urls = "http://127.0.0.1:0", Output = again, RootToken = "glpat-other" }))
        {
            Assert.NotNull(await host.Stores.Identity.FindTokenAsync(Auth.Tokens.Hash(token), DateTimeOffset.UtcNow));
            Assert.Null(await host.Stores.Identity.FindTokenAsync(Auth.Tokens.Hash("glpat-other"), DateTimeOffset.UtcNow));
        }

        Assert.Equal("", again.ToString());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
        await Stores.DropDatabaseAsync(database);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal($$"""{"message":"{{message}}"}""", await response.Content.ReadAsStringAsync());
        }
    }
}
