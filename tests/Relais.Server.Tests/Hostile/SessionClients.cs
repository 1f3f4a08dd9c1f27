using System.Net;
using System.Text.RegularExpressions;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>Browsers as an HTTP client sees them: a cookie jar, no redirects followed, a user agent; sign-in through the real form.</summary>
internal static partial class SessionClients
{
    public const string RootPassword = "hostile root password";

    /// <summary>A server whose root has <see cref="RootPassword"/>.</summary>
    public static Task<TestServer> StartAsync(string store = Stores.Sqlite) =>
        TestServer.StartAsync(store, configure: o => o with { RootPassword = RootPassword });

    public static HttpClient New(TestServer server, string userAgent = "HostileBrowser/1.0")
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        var client = new HttpClient(handler) { BaseAddress = new Uri(server.Host.ExternalUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return client;
    }

    /// <summary>Posts the sign-in form (fetched first, for its anti-forgery cookie and field) with <paramref name="fields"/>.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, Dictionary<string, string> fields)
    {
        var form = await client.GetStringAsync("users/sign_in");
        fields["authenticity_token"] = Csrf(form);
        return await client.PostAsync("users/sign_in", new FormUrlEncodedContent(fields));
    }

    public static async Task<HttpClient> SignedInAsync(TestServer server, string username, string password, string userAgent = "HostileBrowser/1.0")
    {
        var client = New(server, userAgent);
        using var response = await SignInAsync(client, new() { ["username"] = username, ["password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public static async Task<HttpClient> SignedInWithTokenAsync(TestServer server, string token)
    {
        var client = New(server);
        using var response = await SignInAsync(client, new() { ["personal_access_token"] = token });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>Whether the client's cookie still opens a session (the projects page greets a signed-in user).</summary>
    public static async Task<bool> IsSignedInAsync(HttpClient client) =>
        (await client.GetStringAsync("")).Contains("Signed in as", StringComparison.Ordinal);

    /// <summary>The first anti-forgery field of a page.</summary>
    public static string Csrf(string html) => CsrfField().Match(html).Groups[1].Value;

    /// <summary>A personal access token made over the API by root: (id, value).</summary>
    public static async Task<(long Id, string Token)> TokenAsync(TestServer server, long userId, string scopes, string? expiresAt = null)
    {
        var scopeList = string.Join(',', scopes.Split(' ').Select(s => $"\"{s}\""));
        var expiry = expiresAt is null ? "" : $",\"expires_at\":\"{expiresAt}\"";
        var (status, json) = await Security.SecurityFixture.SendAsync(
            server.Http, HttpMethod.Post, $"api/v4/users/{userId}/personal_access_tokens", TestServer.RootToken, $$"""{"name":"t","scopes":[{{scopeList}}]{{expiry}}}""");
        Assert.Equal(HttpStatusCode.Created, status);
        return (json.GetProperty("id").GetInt64(), json.GetProperty("token").GetString()!);
    }

    [GeneratedRegex("name=\"authenticity_token\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
