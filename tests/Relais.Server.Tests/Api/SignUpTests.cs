using System.Net;
using System.Text.RegularExpressions;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>Sign-up: off by default (404), with <c>--allow-signup</c> a form that makes a non-admin user who can sign in.</summary>
public sealed partial class SignUpTests
{
    [Fact]
    public async Task Without_allow_signup_the_sign_up_page_is_404_and_not_linked()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var client = NewClient(server);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("users/sign_up")).StatusCode);
        var signIn = await client.GetStringAsync("users/sign_in");
        using var post = await client.PostAsync("users/sign_up", Fields(signIn, "mallory", "m@example.com", "long enough password"));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.DoesNotContain("sign_up", signIn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_allow_signup_a_new_non_admin_user_registers_and_is_signed_in()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite, configure: o => o with { AllowSignup = true });
        using var client = NewClient(server);
        Assert.Contains("/users/sign_up", await client.GetStringAsync("users/sign_in"), StringComparison.Ordinal);
        var page = await client.GetStringAsync("users/sign_up");

        using var reserved = await client.PostAsync("users/sign_up", Fields(page, "admin", "a@example.com", "long enough password"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reserved.StatusCode);
        using var weak = await client.PostAsync("users/sign_up", Fields(page, "dave", "d@example.com", "short"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, weak.StatusCode);
        using var forged = await NewClient(server).PostAsync("users/sign_up", Fields(page, "dave", "d@example.com", "long enough password"));
        Assert.NotEqual(HttpStatusCode.Redirect, forged.StatusCode);

        using var made = await client.PostAsync("users/sign_up", Fields(page, "dave", "dave@example.com", "long enough password"));
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        Assert.Contains("dave", await client.GetStringAsync("/"), StringComparison.Ordinal);

        using var admin = new HttpRequestMessage(HttpMethod.Get, "api/v4/users?username=dave");
        admin.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var listed = await server.Http.SendAsync(admin);
        var json = await listed.Content.ReadAsStringAsync();
        Assert.Contains("\"email\":\"dave@example.com\"", json, StringComparison.Ordinal);
        Assert.Contains("\"is_admin\":false", json, StringComparison.Ordinal);

        using var again = await NewClient(server).PostAsync("users/sign_up", Fields(await NewClient(server).GetStringAsync("users/sign_up"), "dave", "x@example.com", "long enough password"));
        Assert.NotEqual(HttpStatusCode.Redirect, again.StatusCode);
    }

    private static HttpClient NewClient(TestServer server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(server.Host.ExternalUrl + "/") };

    private static FormUrlEncodedContent Fields(string page, string username, string email, string password) => new(new Dictionary<string, string>
    {
        ["authenticity_token"] = CsrfToken().Match(page).Groups[1].Value,
        ["username"] = username,
        ["email"] = email,
        ["password"] = password,
    });

    [GeneratedRegex("name=\"authenticity_token\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
