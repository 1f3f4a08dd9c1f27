using Relais.Protocol.Jobs;
using Relais.Runner.Artifacts;
using Relais.Runner.Caching;
using Relais.Runner.Docker;
using Relais.Runner.Executors.Shell;
using Relais.Runner.Jobs;
using Relais.Runner.Trace;

namespace Relais.Runner.Tests.Executors.Shell;

/// <summary>A shell job's <c>docker login $CI_REGISTRY</c> uses the host's engine: the runner makes the host trust the registry's CA (issue #15).</summary>
public sealed class ShellRegistryCaTests : IDisposable
{
    private const string Address = "192.0.2.2:5050";
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private readonly TempDirectory _root = new("shell-ca");

    public void Dispose() => _root.Dispose();

    private async Task<string> RunAsync(bool withCredentials)
    {
        var executor = new ShellExecutor(new ShellExecutorOptions { BuildsDir = _root.Combine("builds"), HostCertsDir = _root.Combine("certs.d") });
        var runner = new JobRunner(executor, new DirectoryCacheStore(_root.Combine("cache")), new DirectoryArtifactStore(_root.Combine("artifacts")));
        var job = Payloads.Job(["echo \"ca file: $(cat \"$RELAIS_REGISTRY_CA_FILE\" | head -1)\""],
            variables: [new JobVariable("CI_REGISTRY", Address), new JobVariable(RegistryCa.Variable, Pem, file: true)]);
        job.Credentials = withCredentials ? [new JobCredential { Type = "registry", Url = Address, Username = "gitlab-ci-token", Password = job.Token }] : [];
        var trace = new MemoryJobTrace();
        var outcome = await runner.RunAsync(job, trace, new JobRunOptions(), CancellationToken.None);
        Assert.True(outcome.Succeeded, trace.Text);
        return trace.Text;
    }

    [Fact]
    public async Task The_shell_executor_writes_the_coordinators_registry_ca_into_the_hosts_certs_folder_once()
    {
        var file = _root.Combine("certs.d", Address, "ca.crt");

        var notFromCoordinator = await RunAsync(withCredentials: false);
        Assert.False(File.Exists(file), notFromCoordinator);

        var first = await RunAsync(withCredentials: true);
        var second = await RunAsync(withCredentials: true);

        Assert.Equal(Pem, await File.ReadAllTextAsync(file));
        Assert.Contains("Trusting the registry's CA on this host: wrote " + file, first, StringComparison.Ordinal);
        Assert.Contains("ca file: -----BEGIN CERTIFICATE-----", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Trusting the registry's CA", second, StringComparison.Ordinal);
    }
}
