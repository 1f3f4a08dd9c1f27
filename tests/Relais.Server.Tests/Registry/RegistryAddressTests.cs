using System.Net;
using Relais.Server.Registry;

namespace Relais.Server.Tests.Registry;

/// <summary>Where the registry listens and what jobs name it by, and where its token realm is (pure logic).</summary>
public sealed class RegistryAddressTests
{
    private static readonly IPAddress Gateway = IPAddress.Parse("172.17.0.1");
    private static readonly HashSet<IPAddress> Local = [IPAddress.Loopback, Gateway, IPAddress.Parse("10.0.0.5")];

    [Fact]
    public void By_default_the_registry_is_on_the_reachable_host_address_else_loopback_with_a_note()
    {
        var bridge = RegistryEndpoint.Choose(null, 5050, Gateway, NoDns, Local, out var none);
        var loopback = RegistryEndpoint.Choose(null, 5050, null, NoDns, Local, out var note);

        Assert.Equal(("172.17.0.1:5050", "172.17.0.1:5050"), (bridge.Address, bridge.ListenAddress));
        Assert.Null(none);
        Assert.Equal(("127.0.0.1:5050", "127.0.0.1:5050"), (loopback.Address, loopback.ListenAddress));
        Assert.Contains("containers (jobs, DinD services) cannot reach", note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_given_address_is_what_jobs_see_and_binds_its_own_ip_when_it_is_this_hosts()
    {
        var ip = RegistryEndpoint.Choose("10.0.0.5", 5050, Gateway, NoDns, Local, out _);
        var name = RegistryEndpoint.Choose("ci.example.com", 5050, Gateway, _ => [IPAddress.Parse("10.0.0.5")], Local, out var owned);
        var routed = RegistryEndpoint.Choose("registry.example.com", 5050, Gateway, _ => [IPAddress.Parse("203.0.113.9")], Local, out var note);

        Assert.Equal(("10.0.0.5:5050", "10.0.0.5:5050"), (ip.Address, ip.ListenAddress));
        Assert.Equal(("ci.example.com:5050", "10.0.0.5:5050"), (name.Address, name.ListenAddress));
        Assert.Null(owned);
        Assert.Equal(("registry.example.com:5050", "172.17.0.1:5050"), (routed.Address, routed.ListenAddress));
        Assert.Contains("route registry.example.com there", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://172.17.0.1:8080/jwt/auth", "http://172.17.0.1:8080")]
    [InlineData("http://localhost:8080", "http://172.17.0.1:8080/jwt/auth", "http://172.17.0.1:8080")]
    [InlineData("http://0.0.0.0:8080", "http://172.17.0.1:8080/jwt/auth", null)]
    [InlineData("http://127.0.0.1:8080;http://10.0.0.5:9000", "http://10.0.0.5:9000/jwt/auth", null)]
    [InlineData("https://ci.example.com:8443", "https://ci.example.com:8443/jwt/auth", null)]
    public void The_realm_is_a_listen_url_containers_reach_or_one_added_on_the_reachable_address(string urls, string realm, string? extra)
    {
        var found = RegistryRealm.For(urls, Gateway);

        Assert.Equal((realm, extra), (found.Realm.ToString(), found.ExtraListenUrl));
    }

    [Fact]
    public void Without_a_reachable_address_the_realm_is_the_first_listen_url()
    {
        var found = RegistryRealm.For("http://127.0.0.1:8080", null);

        Assert.Equal(("http://127.0.0.1:8080/jwt/auth", null), (found.Realm.ToString(), found.ExtraListenUrl));
    }

    [Fact]
    public void Per_request_log_lines_are_dropped_and_the_rest_shortened()
    {
        const string request = "time=\"2026-12-07T18:26:13Z\" level=info msg=\"response completed\" go.version=go1.19.8 http.request.host=\"localhost:5999\" http.request.method=GET";
        const string listening = "time=\"2026-12-07T18:26:11Z\" level=info msg=\"listening on 127.0.0.1:5999, tls\" go.version=go1.19.8 instance.id=7e00bef7 version=2.8.2+ds1";

        Assert.Null(RegistryLogLines.Pass(request));
        Assert.Equal("level=info msg=\"listening on 127.0.0.1:5999, tls\"", RegistryLogLines.Pass(listening));
        Assert.True(RegistryLogLines.IsReady(listening));
        Assert.Null(RegistryLogLines.Pass("time=\"2026-12-07T18:26:11Z\" level=info msg=\"redis not configured\" go.version=go1.19.8"));
    }

    private static IReadOnlyList<IPAddress> NoDns(string host) => throw new System.Net.Sockets.SocketException();
}
