using System.Formats.Tar;
using System.Text;
using Relais.Protocol.Jobs;
using Relais.Runner.Docker;
using Relais.Runner.Variables;

namespace Relais.Docker.Tests;

/// <summary>Pull credentials in gitlab-runner's order, and the registry CA taken from a job's variables (issue #15).</summary>
public sealed class RegistryCredentialsTests
{
    private const string Registry = "192.0.2.2:5050";

    private static string Config(string user, string password) =>
        "{\"auths\":{\"" + Registry + "\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)) + "\"}}}";

    private static string User(string? header)
    {
        Assert.NotNull(header);
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(header.Replace('-', '+').Replace('_', '/')));
        return System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("username").GetString()!;
    }

    [Fact]
    public void The_jobs_docker_auth_config_wins_then_the_runners_then_the_payloads_credentials()
    {
        JobCredential[] payload = [new() { Type = "registry", Url = Registry, Username = "gitlab-ci-token", Password = "job-token" }];
        var image = Registry + "/group/app:1";

        Assert.Equal("from-job", User(RegistryAuth.HeaderFor(image, [Config("from-job", "a"), Config("from-runner", "b")], payload)));
        Assert.Equal("from-runner", User(RegistryAuth.HeaderFor(image, [null, Config("from-runner", "b")], payload)));
        Assert.Equal("gitlab-ci-token", User(RegistryAuth.HeaderFor(image, [null, null], payload)));
        Assert.Equal("gitlab-ci-token", User(RegistryAuth.HeaderFor(image, ["{\"auths\":{\"other:5000\":{\"auth\":\"eDp5\"}}}"], payload)));
    }

    [Fact]
    public void The_ca_comes_from_the_file_variable_and_ci_registry_and_is_refused_for_an_address_that_leaves_certs_d()
    {
        const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        JobVariables Vars(string address) => new([new JobVariable("CI_REGISTRY", address), new JobVariable(RegistryCa.Variable, Pem, file: true)]);

        Assert.Equal(new RegistryCa(Registry, Pem), RegistryCa.Of(Vars(Registry)));
        Assert.Null(RegistryCa.Of(Vars("../../etc/cron.d")));
        Assert.Null(RegistryCa.Of(Vars("host/path")));
        Assert.Null(RegistryCa.Of(new JobVariables([new JobVariable("CI_REGISTRY", Registry)])));
    }

    [Fact]
    public void The_ca_goes_into_a_container_as_etc_docker_certs_d_address_ca_crt()
    {
        var ca = new RegistryCa(Registry, "PEM\n");

        using var tar = ca.Tar();
        using var reader = new TarReader(tar);
        var entries = new List<(string Name, string? Content)>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add((entry.Name, entry.DataStream is null ? null : new StreamReader(entry.DataStream).ReadToEnd()));
        }

        Assert.Equal(("etc/docker/certs.d/" + Registry + "/ca.crt", "PEM\n"), entries[^1]);
        Assert.Equal(["etc/", "etc/docker/", "etc/docker/certs.d/", $"etc/docker/certs.d/{Registry}/"], entries.SkipLast(1).Select(e => e.Name));
        Assert.True(ca.IsTheCoordinators([new JobCredential { Type = "registry", Url = Registry }]));
        Assert.False(ca.IsTheCoordinators([]));
    }
}
