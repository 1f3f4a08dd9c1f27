using Relais.Protocol.Jobs;
using static Relais.Dispatch.Tests.PayloadTestSupport;

namespace Relais.Dispatch.Tests;

/// <summary>The container registry in a job's payload (issue #15): variables, credentials and the CA file variable.</summary>
public sealed class RegistryPayloadTests
{
    private const string Yaml = "job:\n  script: x\n";
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private static readonly JobRegistry Tls = new("172.17.0.1:5050", "172.17.0.1:5050/group/app", Pem);

    private static JobResponse WithRegistry(JobRegistry? registry) => Payload(Yaml, "job", adjust: d => d with { Registry = registry });

    private static JobVariable Single(JobResponse job, string key) => job.Variables.Single(v => v.Key == key);

    [Fact]
    public void A_registry_gives_GitLabs_variables_with_the_job_token_masked()
    {
        var job = WithRegistry(Tls);

        Assert.Equal("172.17.0.1:5050", job.Var("CI_REGISTRY"));
        Assert.Equal("172.17.0.1:5050/group/app", job.Var("CI_REGISTRY_IMAGE"));
        Assert.Equal("gitlab-ci-token", job.Var("CI_REGISTRY_USER"));
        var password = Single(job, "CI_REGISTRY_PASSWORD");
        Assert.Equal(("glcbt-secret-token", true, false), (password.Value, password.Masked, password.Public));
        Assert.True(Single(job, "CI_REGISTRY").Public);
        Assert.True(Single(job, "CI_REGISTRY_IMAGE").Public);
        Assert.False(Single(job, "CI_REGISTRY_USER").Masked);
    }

    [Fact]
    public void Registry_variables_sit_where_GitLab_sends_them()
    {
        var keys = WithRegistry(Tls).Variables.Select(v => v.Key).ToList();

        Assert.Equal(keys.IndexOf("CI_JOB_STARTED_AT") + 1, keys.IndexOf("CI_REGISTRY_USER"));
        Assert.Equal(keys.IndexOf("CI_REGISTRY_USER") + 1, keys.IndexOf("CI_REGISTRY_PASSWORD"));
        Assert.Equal(keys.IndexOf("CI_REGISTRY_PASSWORD") + 1, keys.IndexOf("CI_REPOSITORY_URL"));
        Assert.True(keys.IndexOf("CI_CONFIG_PATH") < keys.IndexOf("CI_REGISTRY"));
        Assert.Equal(keys.IndexOf("CI_REGISTRY") + 1, keys.IndexOf("CI_REGISTRY_IMAGE"));
        Assert.True(keys.IndexOf("CI_REGISTRY_IMAGE") < keys.IndexOf("CI_API_V4_URL"));
    }

    [Fact]
    public void The_legacy_build_variables_older_tutorials_use_come_with_the_registry()
    {
        var job = WithRegistry(Tls);

        var token = Single(job, "CI_BUILD_TOKEN");
        Assert.Equal(("glcbt-secret-token", true, false), (token.Value, token.Masked, token.Public));
        Assert.Equal(new string('a', 40), job.Var("CI_BUILD_REF"));
        Assert.Equal("main", job.Var("CI_BUILD_REF_NAME"));
        Assert.Null(job.Var("CI_BUILD_ID")); // GitLab 16 sends no CI_BUILD_*; Relais only the three a registry pipeline uses
    }

    [Fact]
    public void The_CA_reaches_the_runner_as_a_public_file_variable()
    {
        var ca = Single(WithRegistry(Tls), "RELAIS_REGISTRY_CA_FILE");

        Assert.Equal((Pem, true, true, false), (ca.Value, ca.File, ca.Public, ca.Masked));
        Assert.Null(WithRegistry(Tls with { CaCertificatePem = null }).Var("RELAIS_REGISTRY_CA_FILE"));
    }

    [Fact]
    public void The_payload_carries_registry_credentials_as_GitLab_sends_them()
    {
        var credential = Assert.Single(WithRegistry(Tls).Credentials);

        Assert.Equal(("registry", "172.17.0.1:5050", "gitlab-ci-token", "glcbt-secret-token"),
            (credential.Type, credential.Url, credential.Username, credential.Password));
    }

    [Fact]
    public void Without_a_registry_there_are_no_registry_variables_nor_credentials()
    {
        var job = WithRegistry(null);

        Assert.DoesNotContain(job.Variables, v => v.Key.StartsWith("CI_REGISTRY", StringComparison.Ordinal) || v.Key.StartsWith("CI_BUILD_", StringComparison.Ordinal));
        Assert.Null(job.Var("RELAIS_REGISTRY_CA_FILE"));
        Assert.Empty(job.Credentials);
    }

    [Fact]
    public void A_job_cannot_replace_the_CA_the_runner_trusts()
    {
        var job = Payload("variables: { RELAIS_REGISTRY_CA_FILE: mine }\njob:\n  script: x\n", "job", adjust: d => d with { Registry = Tls });

        var ca = Single(job, "RELAIS_REGISTRY_CA_FILE");
        Assert.Equal(Pem, ca.Value);
        Assert.Same(ca, job.Variables[^1]);
    }

    [Fact]
    public void A_project_variable_still_overrides_a_registry_variable()
    {
        var context = Push() with { Variables = [new Relais.Pipelines.Context.ContextVariable("CI_REGISTRY_IMAGE", "elsewhere/app")] };

        var job = Payload(Yaml, "job", context, d => d with { Registry = Tls });

        Assert.Equal("elsewhere/app", job.Var("CI_REGISTRY_IMAGE"));
    }
}
