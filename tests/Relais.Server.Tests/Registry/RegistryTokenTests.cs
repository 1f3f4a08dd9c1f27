using System.Net;
using System.Net.Http.Headers;
using Relais.Server.Registry;

namespace Relais.Server.Tests.Registry;

/// <summary>The tokens Relais signs are the ones a real Distribution registry accepts (key id, issuer, audience, access).</summary>
public sealed class RegistryTokenTests
{
    [RegistryFact]
    public async Task A_real_registry_accepts_a_signed_token_for_what_it_grants_and_nothing_else()
    {
        await using var registry = await TokenRegistry.StartAsync();
        var issuer = registry.Setup.Tokens;
        using var http = new HttpClient { BaseAddress = registry.Setup.ApiUrl };

        async Task<HttpStatusCode> CatalogWith(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v2/_catalog");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        var granted = issuer.Issue("root", [new RegistryScope("registry", "catalog", ["*"])]);
        var empty = issuer.Issue("root", []);
        using var folder = new TempDirectory("token-key");
        using var other = RegistryTokenKey.LoadOrCreate(folder.Path, TimeProvider.System);
        var foreign = new RegistryTokenIssuer(other, RegistrySetup.IssuerName, RegistrySetup.ServiceName, TimeProvider.System).Issue("root", [new RegistryScope("registry", "catalog", ["*"])]);

        Assert.Equal(HttpStatusCode.OK, await CatalogWith(granted.Value));
        Assert.Equal(HttpStatusCode.Unauthorized, await CatalogWith(empty.Value));
        Assert.Equal(HttpStatusCode.Unauthorized, await CatalogWith(foreign.Value));
    }

    [Fact]
    public void The_key_id_is_libtrusts_twelve_groups_of_four_and_the_key_survives_a_restart()
    {
        using var folder = new TempDirectory("token-key");
        using var first = RegistryTokenKey.LoadOrCreate(folder.Path, TimeProvider.System);
        using var again = RegistryTokenKey.LoadOrCreate(folder.Path, TimeProvider.System);

        Assert.Matches("^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$", first.KeyId);
        Assert.Equal(first.KeyId, again.KeyId);
    }

    [Theory]
    [InlineData("repository:group/app:pull,push", "repository", "group/app", "pull,push")]
    [InlineData("repository(plugin):group/app:pull", "repository", "group/app", "pull")]
    [InlineData("registry:catalog:*", "registry", "catalog", "*")]
    [InlineData("repository:host:5050/group/app:pull", "repository", "host:5050/group/app", "pull")]
    public void Scopes_parse_as_docker_writes_them(string text, string type, string name, string actions)
    {
        var scope = RegistryScope.Parse(text)!;

        Assert.Equal((type, name, actions), (scope.Type, scope.Name, string.Join(',', scope.Actions)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("repository")]
    [InlineData("repository:app")]
    [InlineData(":app:pull")]
    public void Malformed_scopes_are_refused(string text) => Assert.Null(RegistryScope.Parse(text));
}
