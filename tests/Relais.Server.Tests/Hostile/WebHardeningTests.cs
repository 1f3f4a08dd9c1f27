using System.Net;
using Relais.Server.Tests.Support;
using Relais.Server.Web;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// The web UI against a prying client: sign-in time that would tell which users have a password, cookies that
/// travel in clear behind TLS, pages without a Content-Security-Policy, and <c>redirect_to</c> values meant to
/// crash the sign-in or send the browser elsewhere.
/// </summary>
public sealed class WebHardeningTests
{
    [Fact]
    public async Task Sign_in_time_tells_which_users_exist_or_have_a_password()
    {
        await using var server = await SessionClients.StartAsync();
        await server.Host.Stores.Identity.AddUserAsync("tokens-only", isAdmin: false, DateTimeOffset.UtcNow);
        var check = server.Host.SignInPasswords;

        // Every attempt computes exactly one password hash: against the user's own, or a dummy one.
        foreach (var (user, password) in new[] { ("nobody-at-all", "guess one"), ("tokens-only", "guess two"), ("root", "guess three"), ("", "guess four") })
        {
            using var client = SessionClients.New(server);
            var before = check.HashesComputed;
            using var response = await SessionClients.SignInAsync(client, new() { ["username"] = user, ["password"] = password });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(before + 1, check.HashesComputed);
        }
    }

    [Fact]
    public async Task Cookies_travel_in_clear_behind_a_tls_proxy()
    {
        // A real server behind a trusted proxy (127.0.0.1) that forwards the scheme; the same server without it.
        await using var proxied = await TestServer.StartAsync(
            Stores.Sqlite, configure: o => o with { RootPassword = SessionClients.RootPassword, TrustedProxies = [new IPNetwork(IPAddress.Loopback, 32)] });
        foreach (var (scheme, secure) in new[] { ("https", true), ("http", false) })
        {
            // No cookie jar: it would (rightly) keep a Secure cookie off this plain-HTTP hop; the test carries it by hand.
            using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(proxied.Host.ExternalUrl + "/") };
            browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", scheme);
            using var form = await browser.GetAsync("users/sign_in");
            var signInCookie = form.Headers.GetValues("Set-Cookie").Single();
            using var post = new HttpRequestMessage(HttpMethod.Post, "users/sign_in")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["authenticity_token"] = SessionClients.Csrf(await form.Content.ReadAsStringAsync()), ["username"] = "root", ["password"] = SessionClients.RootPassword,
                }),
            };
            post.Headers.Add("Cookie", signInCookie.Split(';')[0]);
            using var response = await browser.SendAsync(post);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var session = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(WebSessions.CookieName + "=", StringComparison.Ordinal));
            Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(secure, session.Contains("secure", StringComparison.OrdinalIgnoreCase));
            Assert.Equal(secure, signInCookie.Contains("secure", StringComparison.OrdinalIgnoreCase));
        }

        // Without a trusted proxy the header is a client's word: ignored.
        await using var direct = await SessionClients.StartAsync();
        using var liar = SessionClients.New(direct);
        liar.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var plain = await liar.GetAsync("users/sign_in");
        Assert.DoesNotContain("secure", plain.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Pages_without_a_content_security_policy_run_injected_script()
    {
        await using var server = await SessionClients.StartAsync();
        using var browser = await SessionClients.SignedInAsync(server, "root", SessionClients.RootPassword);
        using var anonymous = SessionClients.New(server);
        await server.CreatePipelineAsync("job:\n  script: [echo hi]\n");
        using (var signIn = await anonymous.GetAsync("users/sign_in"))
        {
            Assert.Contains("script-src 'self'", string.Join(' ', signIn.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        }

        foreach (var path in (string[])["", "root/demo/-/pipelines", "root/demo/-/pipelines/1", "-/user_settings/password/edit", "-/user_settings/active_sessions", "no/such/-/pipelines"])
        {
            using var response = await browser.GetAsync(path);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Single(response.Headers.GetValues("Referrer-Policy"));

            // The policy forbids inline script and style: the pages must not need them.
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
            Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
            Assert.DoesNotMatch(" on[a-z]+=", html);
        }
    }

    [Theory]
    [InlineData("/é", "/%C3%A9")]
    [InlineData("/root/démo/-/pipelines?q=ü", "/root/d%C3%A9mo/-/pipelines?q=%C3%BC")]
    [InlineData("/😀", "/%F0%9F%98%80")]
    [InlineData("//evil.example", "/")]
    [InlineData("//evil.example/path", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("/\r\nSet-Cookie: x=1", "/")]
    [InlineData("/ok path", "/ok%20path")]
    public async Task A_redirect_to_that_crashes_the_sign_in_or_leaves_the_site(string asked, string expected)
    {
        await using var server = await SessionClients.StartAsync();
        using var client = SessionClients.New(server);
        using var form = await client.GetAsync("users/sign_in?redirect_to=" + Uri.EscapeDataString(asked));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        using var response = await SessionClients.SignInAsync(client, new() { ["username"] = "root", ["password"] = SessionClients.RootPassword, ["redirect_to"] = asked });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);

        // Signed in, the form's address redirects at once: the same rule applies.
        using var again = await client.GetAsync("users/sign_in?redirect_to=" + Uri.EscapeDataString(asked));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(expected, again.Headers.Location!.OriginalString);
    }
}
