using System.Diagnostics;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Relais.Docker.Tests.Support;
using Relais.Protocol.Jobs;
using Relais.Runner.Docker;

namespace Relais.Docker.Tests;

/// <summary>
/// The coordinator's registry CA (issue #15) in jobs: a DinD service pushes to a TLS registry only the CA handed in
/// through <c>RELAIS_REGISTRY_CA_FILE</c> signs, and the host's engine is made to trust it so <c>image:</c> pulls.
/// </summary>
public sealed class RegistryCaTests : IDisposable
{
    private readonly DockerHarness _harness = new(o => o with { Privileged = true, PrivilegedAsCapabilities = true });

    public void Dispose() => _harness.Dispose();

    /// <summary>
    /// An address of this host that containers, DinD daemons and the host's engine all reach: not the Docker bridge's
    /// gateway (172.17.0.1), which a DinD daemon's own bridge takes inside its container, but the host's own interface.
    /// </summary>
    private static string HostAddress() => NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback
            && !n.Name.StartsWith("docker", StringComparison.Ordinal) && !n.Name.StartsWith("br-", StringComparison.Ordinal) && !n.Name.StartsWith("veth", StringComparison.Ordinal))
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .First(a => a.AddressFamily == AddressFamily.InterNetwork)
        .ToString();

    private static void DockerCli(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("docker", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.WaitForExit();
    }

    private static JobVariable[] RegistryVariables(string address, string? caPem) =>
    [
        new("CI_REGISTRY", address),
        new("CI_REGISTRY_IMAGE", address + "/group/app"),
        .. caPem is null ? Array.Empty<JobVariable>() : [new JobVariable(RegistryCa.Variable, caPem, file: true)],
    ];

    /// <summary>A job in the docker CLI image with a DinD service that builds a busybox image and pushes it to <c>$CI_REGISTRY_IMAGE:x</c>.</summary>
    private static JobResponse PushJob(string address, string? caPem)
    {
        var job = Payloads.Job(
        [
            "test -s \"/etc/docker/certs.d/$CI_REGISTRY/ca.crt\" && echo job-container-has-the-ca || echo job-container-has-no-ca",
            "mkdir ctx && cp /bin/busybox ctx/",
            "printf 'FROM scratch\\nCOPY busybox /bin/busybox\\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\\nCMD [\"sh\"]\\n' > ctx/Dockerfile",
            "DOCKER_BUILDKIT=0 docker build -q -t \"$CI_REGISTRY_IMAGE:x\" ctx",
            "docker push \"$CI_REGISTRY_IMAGE:x\"",
        ]);
        job.Image = new JobImage { Name = DockerTest.DockerCli };
        job.Services = [new JobService { Name = DockerTest.Dind, Alias = "docker" }];
        job.Variables = [.. job.Variables, .. RegistryVariables(address, caPem)];
        return job;
    }

    [DockerRegistryFact]
    public async Task A_dind_service_pushes_to_a_tls_registry_with_the_handed_in_ca_and_the_host_then_pulls_the_image()
    {
        var host = HostAddress();
        using var folder = new TempDirectory("registry-tls");
        var certificates = TestCertificates.For(host, folder);
        await using var registry = await RegistryProcess.StartAsync(tls: new RegistryTls(certificates.CertificateFile, certificates.KeyFile), host: host);
        var hostCa = Path.Combine(RegistryCa.DockerCertsDir, registry.Address);
        try
        {
            var withoutCa = PushJob(registry.Address, caPem: null);
            var (refused, refusedLog) = await _harness.RunAsync(withoutCa);
            Assert.False(refused.Succeeded, refusedLog);
            Assert.Contains("job-container-has-no-ca", refusedLog, StringComparison.Ordinal);
            Assert.True(refusedLog.Contains("certificate signed by unknown authority", StringComparison.Ordinal), refusedLog);
            await _harness.AssertNoLeftoversAsync(withoutCa);

            var withCa = PushJob(registry.Address, certificates.CaPem);
            var (pushed, pushedLog) = await _harness.RunAsync(withCa);
            Assert.True(pushed.Succeeded, pushedLog + registry.Log);
            Assert.Contains("job-container-has-the-ca", pushedLog, StringComparison.Ordinal);
            Assert.True(Directory.Exists(Path.Combine(registry.StoragePath, "docker/registry/v2/repositories/group/app")), pushedLog);
            Assert.DoesNotContain("Trusting the registry's CA on this host", pushedLog, StringComparison.Ordinal); // no payload credentials: a job's own variables
            await _harness.AssertNoLeftoversAsync(withCa);

            // The coordinator's registry (named by the payload's credentials): the host's engine now trusts it and pulls image:.
            var pull = Payloads.Job(["echo \"pulled: $(busybox | head -1 | cut -c1-7)\""]);
            pull.Image = new JobImage { Name = registry.Address + "/group/app:x" };
            pull.Variables = [.. pull.Variables, .. RegistryVariables(registry.Address, certificates.CaPem)];
            pull.Credentials = [new JobCredential { Type = "registry", Url = registry.Address, Username = "gitlab-ci-token", Password = pull.Token }];
            var (pulled, pulledLog) = await _harness.RunAsync(pull);
            Assert.True(pulled.Succeeded, pulledLog);
            Assert.Contains($"Trusting the registry's CA on this host: wrote {hostCa}/ca.crt", pulledLog, StringComparison.Ordinal);
            Assert.Contains("pulled: BusyBox", pulledLog, StringComparison.Ordinal);
            await _harness.AssertNoLeftoversAsync(pull);
        }
        finally
        {
            DockerCli("rmi", "-f", registry.Address + "/group/app:x");
            if (Directory.Exists(hostCa))
            {
                Directory.Delete(hostCa, recursive: true);
            }
        }
    }

    [DockerFact]
    public async Task The_docker_cli_image_points_docker_host_at_a_service_named_docker_as_docker_stable_does()
    {
        var job = Payloads.Job(["echo \"host=$DOCKER_HOST\"", "docker --version"]);
        job.Image = new JobImage { Name = DockerTest.DockerCli };
        job.Services = [new JobService { Name = DockerTest.Busybox, Alias = "docker", Entrypoint = ["sh", "-c"], Command = ["sleep 60"] }];

        var (outcome, log) = await _harness.RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("host=tcp://docker:2375\n", log, StringComparison.Ordinal); // not a DinD image: the runner set none, the entrypoint did
        Assert.Contains("Docker version ", log, StringComparison.Ordinal);
        await _harness.AssertNoLeftoversAsync(job);
    }

    [DockerFact]
    public async Task The_host_trusts_only_the_coordinators_registry_ca_and_writes_it_once()
    {
        using var certs = new TempDirectory("certs.d");
        using var harness = new DockerHarness(o => o with { HostCertsDir = certs.Path });
        const string Address = "172.17.0.1:5999";
        const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        JobResponse Job(bool fromCoordinator)
        {
            var job = Payloads.Job(["echo ok"], variables: RegistryVariables(Address, Pem));
            job.Credentials = fromCoordinator ? [new JobCredential { Type = "registry", Url = Address, Username = "gitlab-ci-token", Password = job.Token }] : [];
            return job;
        }

        var (_, ownLog) = await harness.RunAsync(Job(fromCoordinator: false));
        Assert.False(File.Exists(Path.Combine(certs.Path, Address, "ca.crt")), ownLog);

        var (first, firstLog) = await harness.RunAsync(Job(fromCoordinator: true));
        var (_, secondLog) = await harness.RunAsync(Job(fromCoordinator: true));

        Assert.True(first.Succeeded, firstLog);
        Assert.Equal(Pem, await File.ReadAllTextAsync(Path.Combine(certs.Path, Address, "ca.crt")));
        Assert.Contains("Trusting the registry's CA on this host", firstLog, StringComparison.Ordinal);
        Assert.DoesNotContain("Trusting the registry's CA on this host", secondLog, StringComparison.Ordinal);
    }
}

/// <summary>A fact that needs both the Docker engine with the test images and <c>docker-registry</c>.</summary>
public sealed class DockerRegistryFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when either is missing.</summary>
    public DockerRegistryFactAttribute()
    {
        if ((DockerTest.SkipReason ?? RegistryProcess.SkipReason) is { } reason)
        {
            Skip = reason;
        }
    }
}
