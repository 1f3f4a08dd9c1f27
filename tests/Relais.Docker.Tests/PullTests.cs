using System.Diagnostics;
using Relais.Docker.Tests.Support;
using Relais.Protocol.Jobs;
using Relais.Protocol;
using Relais.Runner.Jobs;

namespace Relais.Docker.Tests;

/// <summary>Pulls from a real registry: the local docker-registry that scripts/docker.sh starts on 127.0.0.1:5055.</summary>
public sealed class PullTests : IDisposable
{
    private static readonly string Registry = "127.0.0.1:" + (Environment.GetEnvironmentVariable("RELAIS_TEST_REGISTRY_PORT") ?? "5055");
    private readonly string _image = $"{Registry}/relais-test/pulled:{Guid.NewGuid():N}";
    private readonly DockerHarness _harness = new(o => o with { AllowedPullPolicies = ["always", "if-not-present", "never"] });

    public void Dispose()
    {
        _ = DockerCli("rmi", "-f", _image);
        _harness.Dispose();
    }

    [RegistryFact]
    public async Task Pull_policy_always_pulls_the_image_from_its_registry_and_the_job_runs_in_it()
    {
        Assert.Equal(0, DockerCli("tag", DockerTest.Busybox, _image));
        Assert.Equal(0, DockerCli("push", "-q", _image));
        Assert.Equal(0, DockerCli("rmi", _image));
        var job = Payloads.Job(["echo pulled-and-ran"]);
        job.Image = new JobImage { Name = _image, PullPolicy = ["always"] };
        var never = Payloads.Job(["true"]);
        never.Image = new JobImage { Name = Registry + "/relais-test/absent:1", PullPolicy = ["always"] };

        var (outcome, log) = await _harness.RunAsync(job);
        var (missing, missingLog) = await _harness.RunAsync(never);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains($"Pulling docker image {_image} ...", log, StringComparison.Ordinal);
        Assert.Contains("\npulled-and-ran\n", log, StringComparison.Ordinal);
        Assert.Equal((JobResult.Failed, Relais.Protocol.FailureReasons.ImagePullFailure), (missing.Result, missing.FailureReason));
        Assert.Contains($"failed to pull image \"{Registry}/relais-test/absent:1\"", missingLog, StringComparison.Ordinal);
        await _harness.AssertNoLeftoversAsync(job);
    }

    /// <summary>A Docker fact that is also skipped, with the reason, when the test registry does not answer.</summary>
    private sealed class RegistryFactAttribute : FactAttribute
    {
        public RegistryFactAttribute()
        {
            Skip = DockerTest.SkipReason ?? (RegistryAnswers() ? null : $"no registry answers at {Registry}: run scripts/docker.sh (it starts one)");
        }
    }

    private static bool RegistryAnswers()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            return http.GetAsync(new Uri($"http://{Registry}/v2/")).GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static int DockerCli(params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
