using System.Net;
using System.Text.RegularExpressions;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// What the rate-limit probes send: junk credentials of every kind and place (a header, a JSON body, HTTP Basic),
/// and web sign-ins, each optionally "from" an address given in <c>X-Forwarded-For</c> (believed only when the
/// server trusts the test's own address as a proxy).
/// </summary>
internal static partial class RateLimitProbe
{
    /// <summary>
    /// Sends <paramref name="count"/> requests with tokens that match nothing, in turn as a <c>PRIVATE-TOKEN</c> on the
    /// REST API, a runner token in the JSON body of <c>POST /jobs/request</c>, and a <c>JOB-TOKEN</c> on a trace
    /// patch; returns the statuses. Each 429 must carry <c>Retry-After</c>.
    /// </summary>
    public static async Task<List<HttpStatusCode>> SendJunkAsync(HttpClient http, int count, string? forwardedFor = null)
    {
        var statuses = new List<HttpStatusCode>(count);
        for (var i = 0; i < count; i++)
        {
            var junk = Guid.NewGuid().ToString("N");
            using var request = (i % 3) switch
            {
                0 => new HttpRequestMessage(HttpMethod.Get, "api/v4/user") { Headers = { { "PRIVATE-TOKEN", "glpat-" + junk } } },
                1 => new HttpRequestMessage(HttpMethod.Post, "api/v4/jobs/request") { Content = TestServer.Json($$$"""{"token":"glrt-{{{junk}}}","info":{"name":"junk"}}""") },
                _ => new HttpRequestMessage(HttpMethod.Patch, "api/v4/jobs/1/trace") { Headers = { { "JOB-TOKEN", "glcbt-" + junk } }, Content = new StringContent("x") },
            };
            if (forwardedFor is not null)
            {
                request.Headers.Add("X-Forwarded-For", forwardedFor);
            }

            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 429 without Retry-After");
            }

            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    /// <summary>One REST call with a personal access token, from <paramref name="forwardedFor"/> when given.</summary>
    public static async Task<HttpStatusCode> GetUserAsync(HttpClient http, string token, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v4/user") { Headers = { { "PRIVATE-TOKEN", token } } };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A client with its own cookies that does not follow redirects (a sign-in answers 302).</summary>
    public static HttpClient NewBrowser(TestServer server) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.Http.BaseAddress };

    /// <summary>
    /// Signs in on the web form, as a browser does (GET the form for its anti-forgery value, then POST), with a
    /// password or (<paramref name="withToken"/>) a personal access token; both from <paramref name="forwardedFor"/> when given.
    /// </summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string? username, string secret, string? forwardedFor = null, bool withToken = false)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "users/sign_in");
        using var post = new HttpRequestMessage(HttpMethod.Post, "users/sign_in");
        if (forwardedFor is not null)
        {
            get.Headers.Add("X-Forwarded-For", forwardedFor);
            post.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var form = await browser.SendAsync(get);
        var csrf = HiddenToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        var fields = new Dictionary<string, string> { ["authenticity_token"] = csrf };
        if (withToken)
        {
            fields["personal_access_token"] = secret;
        }
        else
        {
            fields["username"] = username!;
            fields["password"] = secret;
        }

        post.Content = new FormUrlEncodedContent(fields);
        return await browser.SendAsync(post);
    }

    [GeneratedRegex("name=\"authenticity_token\" value=\"([^\"]+)\"")]
    private static partial Regex HiddenToken();
}
