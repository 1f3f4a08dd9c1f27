using System.Net;
using System.Net.Http.Json;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// A runner that calls in (verify, job request) shows as contacted and online in <c>GET /runners</c>; every runner
/// showed <c>never_contacted</c> before (issue #14).
/// </summary>
public sealed class RunnerContactTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_runner_that_verified_is_online_with_its_contact_time(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var (id, token) = await api.Server.RegisterRunnerAsync();
        Assert.Equal("never_contacted", (await api.GetAsync($"runners/{id}")).Json.GetProperty("status").GetString());

        using var verified = await api.Server.Http.PostAsJsonAsync("api/v4/runners/verify", new Dictionary<string, string> { ["token"] = token });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);

        var runner = (await api.GetAsync($"runners/{id}")).Json;
        Assert.Equal("online", runner.GetProperty("status").GetString());
        Assert.True(runner.GetProperty("online").GetBoolean());
        Assert.NotNull(runner.GetProperty("contacted_at").GetString());
    }
}
