using Relais.Protocol.Jobs;
using Relais.Server.Tests.Support;
using Relais.TestSupport;

namespace Relais.Server.Tests.Registry;

/// <summary>A job a runner claims from a coordinator with a container registry carries its variables, credentials and CA (issue #15).</summary>
public sealed class RegistryJobPayloadTests
{
    private const string Yaml = "build:\n  script: [docker push $CI_REGISTRY_IMAGE:tmp]\n";

    private static string? Var(JobResponse job, string key) => job.Variables.LastOrDefault(v => v.Key == key)?.Value;

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_claimed_job_gets_the_registry_variables_and_the_job_token_as_registry_credentials(string store)
    {
        await using var server = await TestServer.StartAsync(store, configure: o => o with { RegistryPort = FreePorts.Next() });
        var registry = server.Host.Registry!;
        var (_, runner) = await server.RegisterRunnerAsync();
        // rules see the registry's variables, as GitLab's do (they exist before any job)
        await server.CreatePipelineAsync("build:\n  rules: [{ if: '$CI_REGISTRY_IMAGE =~ /root\\/demo$/' }]\n  script: [docker push $CI_REGISTRY_IMAGE:tmp]\n");

        var job = await server.RequestJobAsync(runner);

        Assert.NotNull(job);
        Assert.Single(job.Variables, v => v.Key == "CI_REGISTRY");
        Assert.Equal(registry.Address, Var(job, "CI_REGISTRY"));
        Assert.Equal(registry.Address + "/root/demo", Var(job, "CI_REGISTRY_IMAGE"));
        Assert.Equal("gitlab-ci-token", Var(job, "CI_REGISTRY_USER"));
        Assert.Equal(job.Token, Var(job, "CI_REGISTRY_PASSWORD"));
        Assert.Equal(job.Token, Var(job, "CI_BUILD_TOKEN"));
        Assert.Equal(Var(job, "CI_COMMIT_SHA"), Var(job, "CI_BUILD_REF"));
        Assert.Equal("main", Var(job, "CI_BUILD_REF_NAME"));
        Assert.Equal(registry.CaCertificatePem, Var(job, "RELAIS_REGISTRY_CA_FILE"));
        var credential = Assert.Single(job.Credentials);
        Assert.Equal(("registry", registry.Address, "gitlab-ci-token", job.Token), (credential.Type, credential.Url, credential.Username, credential.Password));
    }

    [Fact]
    public async Task Without_a_registry_a_job_has_neither_registry_variables_nor_credentials()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        var (_, runner) = await server.RegisterRunnerAsync();
        await server.CreatePipelineAsync(Yaml);

        var job = await server.RequestJobAsync(runner);

        Assert.NotNull(job);
        Assert.Null(server.Host.Registry);
        Assert.DoesNotContain(job.Variables, v => v.Key.StartsWith("CI_REGISTRY", StringComparison.Ordinal) || v.Key.StartsWith("CI_BUILD_", StringComparison.Ordinal));
        Assert.Empty(job.Credentials);
    }
}
