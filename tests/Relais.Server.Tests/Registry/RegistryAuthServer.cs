using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Protocol.Jobs;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Registry;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Registry;

/// <summary>What <c>/jwt/auth</c> answered: the status, the JSON body and, for a token, its verified <c>access</c> claim as <c>type:name:actions</c> lines.</summary>
internal sealed record RegistryAuthAnswer(HttpStatusCode Status, JsonElement Json, IReadOnlyList<string> Access, string? Subject);

/// <summary>
/// A test server with the registry turned on (its token key in <c>DATA/registry</c>), ways to make the projects,
/// users, tokens and running jobs the registry rules are about, and calls to <c>/jwt/auth</c> whose tokens are
/// verified against <c>DATA/registry/token.crt</c> before their <c>access</c> claim is read.
/// </summary>
internal sealed class RegistryAuthServer : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;
    private string? _runner;

    private RegistryAuthServer(TestServer server, IAsyncDisposable owner)
    {
        Server = server;
        _owner = owner;
    }

    public TestServer Server { get; }

    public AggregateStores Stores => Server.Host.Stores;

    /// <summary>The certificate the registry trusts tokens by.</summary>
    public string CertificatePath => Path.Combine(Server.DataDir, "registry", "token.crt");

    /// <summary>A server whose registry is on (it starts its own process; the token rules need only the key).</summary>
    public static async Task<RegistryAuthServer> StartAsync(string store)
    {
        var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200), configure: o => o with { RegistryPort = FreePorts.Next() });
        return new(server, server);
    }

    /// <summary>The server of a <see cref="RegistryFixture"/> (with a real registry that trusts it); disposing this disposes the fixture.</summary>
    public static RegistryAuthServer Of(RegistryFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        return new(fixture.Server, fixture);
    }

    public async Task<ProjectRecord> ProjectAsync(string path, string visibility = "private") =>
        (await Stores.Projects.CreateProjectAsync(path, "main", visibility, DateTimeOffset.UtcNow))!;

    /// <summary>A user with <paramref name="level"/> on <paramref name="project"/> (none when null).</summary>
    public async Task<UserRecord> UserAsync(string username, ProjectRecord? project = null, AccessLevel? level = null)
    {
        var user = (await Stores.Identity.AddUserAsync(username, false, DateTimeOffset.UtcNow))!;
        if (project is not null && level is { } l)
        {
            await Stores.Members.AddMemberAsync(new MemberRecord { Source = MemberSource.Project, SourceId = project.Id, UserId = user.Id, Username = username, AccessLevel = (int)l }, DateTimeOffset.UtcNow);
        }

        return user;
    }

    /// <summary>A personal access token of <paramref name="user"/> with <paramref name="scopes"/>.</summary>
    public async Task<string> TokenAsync(UserRecord user, params string[] scopes)
    {
        var token = Tokens.New(Tokens.PersonalPrefix);
        await Stores.Identity.AddPersonalAccessTokenAsync(user.Id, string.Join('+', scopes), Tokens.Hash(token), DateTimeOffset.UtcNow, new TokenGrant(scopes, null));
        return token;
    }

    /// <summary>A deploy token of <paramref name="project"/> named <paramref name="username"/> with <paramref name="scopes"/> (comma-separated).</summary>
    public async Task<string> DeployTokenAsync(ProjectRecord project, string username, string scopes)
    {
        var token = Tokens.New(Tokens.DeployPrefix);
        await Stores.DeployTokens.AddAsync(new DeployTokenRecord { ProjectId = project.Id, Name = username, Username = username, TokenHash = Tokens.Hash(token), Scopes = scopes }, DateTimeOffset.UtcNow);
        return token;
    }

    /// <summary>A running job of a pipeline of <paramref name="project"/> caused by <paramref name="user"/> (null: nobody known).</summary>
    public async Task<JobResponse> RunningJobAsync(ProjectRecord project, UserRecord? user)
    {
        _runner ??= (await Server.RegisterRunnerAsync()).Token;
        var context = new PipelineContext { Ref = "main", Sha = new string('a', 40), User = await new PipelineUsers(Stores.Identity).OfAsync(user) };
        await Server.Host.Pipelines.CreateAsync(project, new PipelineInput(InMemoryConfigSource.Single("build: {script: [echo]}"), context));
        return (await Server.RequestJobAsync(_runner))!;
    }

    /// <summary><c>GET /jwt/auth</c> with Basic <paramref name="user"/>:<paramref name="password"/> (none when user is null), <c>service</c> and the scopes.</summary>
    public async Task<RegistryAuthAnswer> AuthAsync(string? user, string? password, params string[] scopes) =>
        await AuthForAsync(RegistrySetup.ServiceName, user, password, scopes);

    public async Task<RegistryAuthAnswer> AuthForAsync(string? service, string? user, string? password, params string[] scopes)
    {
        var query = new List<string> { "account=" + Uri.EscapeDataString(user ?? ""), "client_id=docker", "offline_token=true" };
        if (service is not null)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.AddRange(scopes.Select(s => "scope=" + Uri.EscapeDataString(s)));
        using var request = new HttpRequestMessage(HttpMethod.Get, "jwt/auth?" + string.Join('&', query));
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        }

        using var response = await Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new RegistryAuthAnswer(response.StatusCode, json, [], null);
        }

        var token = json.GetProperty("token").GetString()!;
        Assert.Equal(token, json.GetProperty("access_token").GetString());
        Assert.Equal(300, json.GetProperty("expires_in").GetInt32());
        var (access, subject) = await VerifyAsync(token);
        return new RegistryAuthAnswer(response.StatusCode, json, access, subject);
    }

    /// <summary>Checks the token's signature (by the certificate the registry is given), issuer and audience, and reads its grants.</summary>
    private async Task<(IReadOnlyList<string> Access, string Subject)> VerifyAsync(string token)
    {
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(CertificatePath));
        var key = new RsaSecurityKey(certificate.GetRSAPublicKey()!);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = RegistrySetup.IssuerName,
            ValidAudience = RegistrySetup.ServiceName,
            IssuerSigningKeyResolver = (_, _, _, _) => [key],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
        var access = payload.RootElement.GetProperty("access").EnumerateArray()
            .Select(a => $"{a.GetProperty("type").GetString()}:{a.GetProperty("name").GetString()}:{string.Join(',', a.GetProperty("actions").EnumerateArray().Select(x => x.GetString()))}")
            .ToList();
        return (access, payload.RootElement.GetProperty("sub").GetString()!);
    }

    public ValueTask DisposeAsync() => _owner.DisposeAsync();
}
