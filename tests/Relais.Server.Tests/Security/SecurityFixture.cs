using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Relais.Protocol.Jobs;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Security;

/// <summary>
/// A real coordinator (SQLite, 127.0.0.1) with root and a second, non-admin user "alice" made the way an
/// administrator makes one (<c>POST /users</c>, then <c>POST /users/:id/personal_access_tokens</c>), and the raw
/// calls the security tests make: REST as anyone, the runner API, artifact upload/download, git's info/refs.
/// </summary>
internal sealed class SecurityFixture : IAsyncDisposable
{
    private SecurityFixture(TestServer server, long aliceId, string aliceToken)
    {
        Server = server;
        AliceId = aliceId;
        AliceToken = aliceToken;
    }

    public TestServer Server { get; }

    public long AliceId { get; }

    public string AliceToken { get; }

    public HttpClient Http => Server.Http;

    public static async Task<SecurityFixture> StartAsync(Func<ServerOptions, ServerOptions>? configure = null, string store = Stores.Sqlite)
    {
        var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200), configure: configure);
        try
        {
            var (status, user) = await SendAsync(server.Http, HttpMethod.Post, "api/v4/users", TestServer.RootToken, """{"username":"alice"}""");
            Assert.Equal(HttpStatusCode.Created, status);
            var id = user.GetProperty("id").GetInt64();
            var (tokenStatus, token) = await SendAsync(server.Http, HttpMethod.Post, $"api/v4/users/{id}/personal_access_tokens", TestServer.RootToken, """{"name":"tests","scopes":["api"]}""");
            Assert.Equal(HttpStatusCode.Created, tokenStatus);
            return new SecurityFixture(server, id, token.GetProperty("token").GetString()!);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A REST call with a personal access token (null: anonymous): status and JSON body (default when not JSON).</summary>
    public Task<(HttpStatusCode Status, JsonElement Json)> RestAsync(HttpMethod method, string path, string? token, string? json = null) =>
        SendAsync(Http, method, "api/v4/" + path, token, json);

    public static async Task<(HttpStatusCode Status, JsonElement Json)> SendAsync(HttpClient http, HttpMethod method, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Add("PRIVATE-TOKEN", token);
        }

        if (json is not null)
        {
            request.Content = TestServer.Json(json);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var parsed = text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, parsed);
    }

    /// <summary>Creates root/NAME (or alice's, with her token) with a stored CI configuration and returns its id.</summary>
    public async Task<long> ProjectAsync(string name, string yaml, string visibility = "private", string? token = null)
    {
        var (status, json) = await RestAsync(HttpMethod.Post, "projects", token ?? TestServer.RootToken, $$"""{"name":"{{name}}","visibility":"{{visibility}}"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var id = json.GetProperty("id").GetInt64();
        await StoredConfigs.SaveAsync(Server, id, yaml);
        return id;
    }

    public async Task<long> RunPipelineAsync(long project, string gitRef = "main")
    {
        var (status, json) = await RestAsync(HttpMethod.Post, $"projects/{project}/pipeline?ref={gitRef}", TestServer.RootToken);
        Assert.Equal(HttpStatusCode.Created, status);
        return json.GetProperty("id").GetInt64();
    }

    public async Task<HttpResponseMessage> UploadAsync(long jobId, string? token, byte[] bytes, string type = "archive", string format = "zip", string name = "artifacts.zip")
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/jobs/{jobId}/artifacts?artifact_type={Uri.EscapeDataString(type)}&artifact_format={Uri.EscapeDataString(format)}") { Content = form };
        if (token is not null)
        {
            request.Headers.Add("JOB-TOKEN", token);
        }

        // As large uploads do (curl, gitlab-runner): wait for the server's go-ahead, so a refusal before the body is
        // read arrives as its status rather than as a broken pipe while the body is still being sent.
        request.Headers.ExpectContinue = true;
        return await Http.SendAsync(request);
    }

    public async Task<HttpStatusCode> DownloadAsync(long jobId, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v4/jobs/{jobId}/artifacts");
        request.Headers.Add("JOB-TOKEN", token);
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary><c>GET /PATH.git/info/refs?service=…</c> with HTTP Basic (user null: no credentials).</summary>
    public async Task<HttpStatusCode> GitInfoRefsAsync(string path, string? user, string? password, string service = "git-upload-pack")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}.git/info/refs?service={service}");
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Creates the bare repository of PATH (an administrator's receive-pack advertisement does).</summary>
    public async Task EnsureRepositoryAsync(string path) =>
        Assert.Equal(HttpStatusCode.OK, await GitInfoRefsAsync(path, "root", TestServer.RootToken, "git-receive-pack"));

    public Task<JobResponse?> TakeJobAsync(string runnerToken) => Server.RequestJobAsync(runnerToken);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
