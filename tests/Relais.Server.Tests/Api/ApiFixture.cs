using System.Net;
using System.Text.Json;
using Relais.Server.Auth;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>A started server with root, a second (non-admin) user "alice", and calls to the REST API as either.</summary>
internal sealed class ApiFixture : IAsyncDisposable
{
    public const string AliceToken = "glpat-alice-token";

    private ApiFixture(TestServer server) => Server = server;

    public TestServer Server { get; }

    public static async Task<ApiFixture> StartAsync(string store = Stores.Sqlite, string? dataDir = null, int? port = null, Func<ServerOptions, ServerOptions>? configure = null)
    {
        var server = await TestServer.StartAsync(store, dataDir, port, longPoll: TimeSpan.FromMilliseconds(200), configure: configure);
        var alice = await server.Host.Stores.Identity.AddUserAsync("alice", false, DateTimeOffset.UtcNow);
        await server.Host.Stores.Identity.AddPersonalAccessTokenAsync(alice!.Id, "api", Tokens.Hash(AliceToken), DateTimeOffset.UtcNow);
        return new ApiFixture(server);
    }

    /// <summary>Sends a call (token null: anonymous) and returns the status, the parsed JSON (or null) and the response.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, string? token = TestServer.RootToken, string? json = null)
    {
        using var request = new HttpRequestMessage(method, "api/v4/" + path.TrimStart('/'));
        if (token is not null)
        {
            request.Headers.Add("PRIVATE-TOKEN", token);
        }

        if (json is not null)
        {
            request.Content = TestServer.Json(json);
        }

        var response = await Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var parsed = text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false)
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return (response.StatusCode, parsed, response);
    }

    public Task<(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)> GetAsync(string path, string? token = TestServer.RootToken) =>
        SendAsync(HttpMethod.Get, path, token);

    public Task<(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)> PostAsync(string path, string? json = null, string? token = TestServer.RootToken) =>
        SendAsync(HttpMethod.Post, path, token, json);

    /// <summary>Creates root/NAME with a stored CI configuration, so <c>POST /pipeline</c> can run it.</summary>
    public async Task<long> ProjectWithConfigAsync(string name, string yaml, string visibility = "private")
    {
        var (status, json, _) = await PostAsync("projects", $$"""{"name":"{{name}}","visibility":"{{visibility}}"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var id = json.GetProperty("id").GetInt64();
        await StoredConfigs.SaveAsync(Server, id, yaml);
        return id;
    }

    public async Task<long> RunPipelineAsync(long project, string gitRef = "main")
    {
        var (status, json, _) = await PostAsync($"projects/{project}/pipeline?ref={gitRef}");
        Assert.Equal(HttpStatusCode.Created, status);
        return json.GetProperty("id").GetInt64();
    }

    public async Task<JsonElement> JobNamedAsync(long project, long pipeline, string name)
    {
        var (_, jobs, _) = await GetAsync($"projects/{project}/pipelines/{pipeline}/jobs");
        return jobs.EnumerateArray().Single(j => j.GetProperty("name").GetString() == name);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
