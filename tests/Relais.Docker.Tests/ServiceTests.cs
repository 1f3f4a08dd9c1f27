using Relais.Docker.Tests.Support;
using Relais.Protocol.Jobs;

namespace Relais.Docker.Tests;

/// <summary>Services on the job's network: aliases, waits, logs, Docker-in-Docker, and two jobs with the same alias.</summary>
public sealed class ServiceTests : IDisposable
{
    private readonly DockerHarness _harness = new(o => o with { Privileged = true, PrivilegedAsCapabilities = true });

    public void Dispose() => _harness.Dispose();

    /// <summary>A busybox web server answering <paramref name="body"/> on port 8080.</summary>
    private static JobService WebService(string alias, string body) => new()
    {
        Name = DockerTest.Busybox, Alias = alias, Entrypoint = ["sh", "-c"],
        Command = ["mkdir -p /www && echo \"$BODY\" > /www/index.html && exec httpd -f -p 8080 -h /www"],
        Variables = [new ServiceVariable { Key = "BODY", Value = body }],
        Ports = [new ImagePort { Number = 8080 }],
    };

    private const string Fetch = "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc";

    [DockerFact]
    public async Task A_service_is_reached_by_its_alias_and_by_gitlabs_default_aliases_after_its_port_answers()
    {
        var job = Payloads.Job([$"{Fetch} web 8080 | tail -1", $"{Fetch} relais-test-busybox 8080 | tail -1", $"{Fetch} relais-test__busybox 8080 | tail -1"]);
        job.Services = [WebService("web", "hello-from-$GREETING")];
        job.Variables = [.. job.Variables, new JobVariable("GREETING", "service")];

        var (outcome, log) = await _harness.RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("Waiting for services to be up and running (timeout 20 seconds)...", log, StringComparison.Ordinal);
        Assert.Contains("Service web (relais-test/busybox:latest) is ready: port(s) 8080 answered", log, StringComparison.Ordinal);
        Assert.Equal(3, log.Split('\n').Count(l => l == "hello-from-service"));
        await _harness.AssertNoLeftoversAsync(job);
    }

    [DockerFact]
    public async Task Ci_debug_services_shows_the_service_log_and_a_dead_service_is_reported()
    {
        var job = Payloads.Job(["sleep 1", "echo done"]);
        job.Services = [new JobService { Name = DockerTest.Busybox, Alias = "broken", Entrypoint = ["sh", "-c"], Command = ["echo service-says-hi; exit 3"], Ports = [new ImagePort { Number = 5432 }] }];
        job.Variables = [.. job.Variables, new JobVariable("CI_DEBUG_SERVICES", "true")];

        var (outcome, log) = await _harness.RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("Service broken (relais-test/busybox:latest) probably didn't start properly: port(s) 5432 did not answer", log, StringComparison.Ordinal);
        Assert.Contains("broken: service-says-hi", log, StringComparison.Ordinal);
        Assert.Contains("[service:broken] service-says-hi\n", log, StringComparison.Ordinal);
        await _harness.AssertNoLeftoversAsync(job);
    }

    [DockerFact]
    public async Task Two_concurrent_jobs_with_the_same_service_alias_each_reach_their_own_service()
    {
        Relais.Protocol.Jobs.JobResponse Job(string name)
        {
            var job = Payloads.Job([$"{Fetch} db 8080 | tail -1 > got.txt", "sleep 1", "echo \"got=$(cat got.txt)\""]);
            job.Services = [WebService("db", "answer-" + name)];
            return job;
        }

        var (first, second) = (Job("first"), Job("second"));
        var runs = await Task.WhenAll(_harness.RunAsync(first, slot: 0), _harness.RunAsync(second, slot: 1));

        Assert.True(runs[0].Outcome.Succeeded, runs[0].Log);
        Assert.True(runs[1].Outcome.Succeeded, runs[1].Log);
        Assert.Contains("got=answer-first", runs[0].Log, StringComparison.Ordinal);
        Assert.Contains("got=answer-second", runs[1].Log, StringComparison.Ordinal);
        await _harness.AssertNoLeftoversAsync(first);
        await _harness.AssertNoLeftoversAsync(second);
    }

    [DockerFact]
    public async Task Docker_in_docker_with_tls_builds_and_runs_an_image()
    {
        var job = Payloads.Job(
        [
            "echo \"host=$DOCKER_HOST verify=$DOCKER_TLS_VERIFY certs=$DOCKER_CERT_PATH\"",
            "docker version --format 'server={{.Server.Version}}'",
            "mkdir ctx && cp /bin/busybox ctx/",
            "printf 'FROM scratch\\nCOPY busybox /bin/busybox\\nCMD [\"/bin/busybox\", \"echo\", \"built-and-ran\"]\\n' > ctx/Dockerfile",
            "DOCKER_BUILDKIT=0 docker build -q -t inner:1 ctx",
            "docker run --rm inner:1",
        ]);
        job.Image = new JobImage { Name = DockerTest.Dind, Entrypoint = [""] };
        job.Services = [new JobService { Name = DockerTest.Dind, Alias = "docker" }];
        job.Variables = [.. job.Variables, new JobVariable("DOCKER_TLS_CERTDIR", "/certs")];

        var (outcome, log) = await _harness.RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("Service docker (relais-test/dind:latest) is ready: its Docker daemon answered", log, StringComparison.Ordinal);
        Assert.Contains("host=tcp://docker:2376 verify=1 certs=/certs/client", log, StringComparison.Ordinal);
        Assert.Contains("server=20.", log, StringComparison.Ordinal);
        Assert.Contains("\nbuilt-and-ran\n", log, StringComparison.Ordinal);
        await _harness.AssertNoLeftoversAsync(job);
    }

    [DockerFact]
    public async Task The_host_socket_mode_gives_each_job_its_own_compose_project_name()
    {
        using var harness = new DockerHarness(o => o with { MountDockerSocket = true });
        var job = Payloads.Job(["echo \"project=$COMPOSE_PROJECT_NAME\"", "test -S /var/run/docker.sock && echo socket-mounted"]);

        var (outcome, log) = await harness.RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains($"project=relais-{job.Id}-", log, StringComparison.Ordinal);
        Assert.Contains("socket-mounted", log, StringComparison.Ordinal);
    }
}
