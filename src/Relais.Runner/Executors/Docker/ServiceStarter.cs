using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Relais.Protocol.Jobs;
using Relais.Protocol;
using Relais.Runner.Docker;
using Relais.Runner.Trace;

namespace Relais.Runner.Executors.Docker;

/// <summary>
/// Starts a job's services on its network, each with GitLab's default aliases plus its own, then waits for their
/// ports. A Docker-in-Docker service (an image whose name has <c>dind</c>) is run privileged (or with the capability
/// set), shares its TLS client certificates through a volume when <c>DOCKER_TLS_CERTDIR</c> is set, and is waited for
/// until its daemon answers; the job gets a <c>DOCKER_HOST</c> pointing at it. Every service gets the coordinator's
/// registry CA in <c>/etc/docker/certs.d</c> before it starts.
/// </summary>
internal sealed class ServiceStarter(DockerClient docker, DockerExecutorSettings options, ImagePuller images)
{
    /// <summary>Starts every service; returns an error (for <c>image_pull_failure</c> / the log) or null.</summary>
    public async Task<(string? Reason, string? Error)> StartAsync(DockerJob job, IJobLog log, CancellationToken cancellationToken)
    {
        var variables = job.Environment.Variables;
        var certDir = variables.Get("DOCKER_TLS_CERTDIR") is { Length: > 0 } dir ? dir.TrimEnd('/') : null;
        var index = 0;
        foreach (var service in job.Environment.Services)
        {
            var image = variables.Expand(service.Name);
            if (!ImageGlob.Allowed(image, options.AllowedServices))
            {
                return (Protocol.FailureReasons.RunnerSystemFailure, $"the service image {image} is not allowed (allowed_services: {string.Join(", ", options.AllowedServices)})");
            }

            log.Info($"Starting service {image} ...");
            var (inspect, error) = await images.EnsureAsync(image, service.PullPolicy, job.Environment, log, cancellationToken);
            if (inspect is null)
            {
                return (Protocol.FailureReasons.ImagePullFailure, error);
            }

            var aliases = Aliases(service, image);
            var isDind = image.Contains("dind", StringComparison.Ordinal);
            var binds = new List<string>(UserBinds());
            if (isDind && certDir is not null)
            {
                await docker.CreateVolumeAsync($"{job.Prefix}-certs", job.Labels, cancellationToken); // labelled, so cleanup finds it
                binds.Add($"{job.Prefix}-certs:{certDir}/client");
            }

            var environment = variables.Select(v => KeyValuePair.Create(v.Key, v.Value))
                .Concat(service.Variables.Select(v => KeyValuePair.Create(v.Key, variables.Expand(v.Value)))).ToList();
            var name = $"{job.Prefix}-svc-{index++}-{DockerLabels.Safe(aliases[0])}";
            var spec = ContainerSpecs.Container(options, new ContainerRequest
            {
                Image = image, Entrypoint = service.Entrypoint, Command = service.Command, Environment = environment,
                Labels = With(job.Labels, "relais.service", aliases[0]), Binds = binds, Network = job.Network, Aliases = aliases,
                Privileged = options.Privileged, Tmpfs = isDind ? new Dictionary<string, string> { ["/run"] = "", ["/var/run"] = "" } : new Dictionary<string, string>(),
            });
            var id = await docker.CreateContainerAsync(name, spec, cancellationToken);
            if (job.RegistryCa is { } ca)
            {
                await ca.PutIntoAsync(docker, id, log, cancellationToken); // a DinD daemon reads it at each push and pull
            }

            await docker.StartContainerAsync(id, cancellationToken);
            job.Services.Add(new ServiceContainer(id, name, image, aliases, Ports(service, inspect), isDind));
            if (isDind && variables.Get("DOCKER_HOST") is null)
            {
                AddDockerHost(job, aliases, certDir);
            }
        }

        if (variables.IsTrue("CI_DEBUG_SERVICES"))
        {
            foreach (var service in job.Services)
            {
                _ = FollowLogsAsync(service, log, job.ServiceLogs.Token);
            }
        }

        await WaitAsync(job, log, cancellationToken);
        return (null, null);
    }

    /// <summary>GitLab's default aliases of the image, then the service's own (<c>alias</c>, comma or space separated).</summary>
    public static IReadOnlyList<string> Aliases(JobService service, string image)
    {
        var own = (service.Alias ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [.. own, .. ImageNames.DefaultAliases(image).Where(a => !own.Contains(a))];
    }

    private IEnumerable<string> UserBinds() => options.Volumes.Where(v => v.Contains(':', StringComparison.Ordinal));

    private static void AddDockerHost(DockerJob job, IReadOnlyList<string> aliases, string? certDir)
    {
        var host = aliases.Contains("docker") ? "docker" : aliases[0];
        if (certDir is null)
        {
            job.ExtraEnvironment.Add(KeyValuePair.Create("DOCKER_HOST", $"tcp://{host}:2375"));
            return;
        }

        job.ExtraEnvironment.Add(KeyValuePair.Create("DOCKER_HOST", $"tcp://{host}:2376"));
        job.ExtraEnvironment.Add(KeyValuePair.Create("DOCKER_TLS_VERIFY", "1"));
        job.ExtraEnvironment.Add(KeyValuePair.Create("DOCKER_CERT_PATH", $"{certDir}/client"));
        job.Binds.Add($"{job.Prefix}-certs:{certDir}/client");
    }

    private static List<int> Ports(JobService service, JsonNode inspect)
    {
        var ports = service.Ports.Select(p => p.Number).Where(p => p > 0).ToList();
        if (inspect["Config"]?["ExposedPorts"] is JsonObject exposed)
        {
            foreach (var (key, _) in exposed)
            {
                var parts = key.Split('/');
                if ((parts.Length == 1 || parts[1] == "tcp") && int.TryParse(parts[0], out var port) && !ports.Contains(port))
                {
                    ports.Add(port);
                }
            }
        }

        return ports;
    }

    private async Task WaitAsync(DockerJob job, IJobLog log, CancellationToken cancellationToken)
    {
        var waits = job.Services.Where(s => s.Ports.Count > 0 || s.IsDind).ToList();
        if (waits.Count == 0)
        {
            return;
        }

        var seconds = (int)options.WaitForServicesTimeout.TotalSeconds;
        log.Info($"Waiting for services to be up and running (timeout {seconds} seconds)...");
        await Task.WhenAll(waits.Select(s => WaitForAsync(job, s, log, cancellationToken)));
    }

    private async Task WaitForAsync(DockerJob job, ServiceContainer service, IJobLog log, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.WaitForServicesTimeout);
        var what = service.IsDind ? "its Docker daemon" : "port(s) " + string.Join(", ", service.Ports);
        var ok = false;
        try
        {
            ok = service.IsDind ? await WaitForDaemonAsync(service, timeout.Token) : await WaitForPortsAsync(job, service, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        if (ok)
        {
            log.Info($"Service {service.Aliases[0]} ({service.Image}) is ready: {what} answered");
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        log.Warning($"Service {service.Aliases[0]} ({service.Image}) probably didn't start properly: {what} did not answer");
        var output = new StringBuilder();
        await docker.LogsAsync(service.Id, follow: false, (_, bytes) => output.Append(Encoding.UTF8.GetString(bytes.Span)), cancellationToken);
        foreach (var line in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20))
        {
            log.Warning($"  {service.Aliases[0]}: {line.TrimEnd('\r')}");
        }
    }

    private async Task<bool> WaitForDaemonAsync(ServiceContainer service, CancellationToken cancellationToken)
    {
        while (true)
        {
            var state = await docker.InspectContainerAsync(service.Id, cancellationToken);
            if (state?["State"]?["Running"]?.GetValue<bool>() != true)
            {
                return false;
            }

            var (exit, _) = await docker.ExecAsync(service.Id, ["docker", "-H", "unix:///var/run/docker.sock", "version"], cancellationToken);
            if (exit == 0)
            {
                return true;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Connects from the runner to the service's address on the job network (the engine is on this host).</summary>
    private async Task<bool> WaitForPortsAsync(DockerJob job, ServiceContainer service, CancellationToken cancellationToken)
    {
        if (!docker.Endpoint.IsLocal)
        {
            return true; // a remote engine's container addresses are not reachable from here
        }

        foreach (var port in service.Ports)
        {
            while (true)
            {
                var state = await docker.InspectContainerAsync(service.Id, cancellationToken);
                if (state?["State"]?["Running"]?.GetValue<bool>() != true)
                {
                    return false;
                }

                var ip = state["NetworkSettings"]?["Networks"]?[job.Network!]?["IPAddress"]?.GetValue<string>();
                if (!string.IsNullOrEmpty(ip) && await ConnectsAsync(ip, port, cancellationToken))
                {
                    break;
                }

                await Task.Delay(100, cancellationToken);
            }
        }

        return true;
    }

    private static async Task<bool> ConnectsAsync(string ip, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(ip, port, attempt.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task FollowLogsAsync(ServiceContainer service, IJobLog log, CancellationToken cancellationToken)
    {
        var prefix = Encoding.UTF8.GetBytes($"[service:{service.Aliases[0]}] ");
        var line = new List<byte>();
        try
        {
            await docker.LogsAsync(service.Id, follow: true, (_, bytes) =>
            {
                foreach (var b in bytes.Span)
                {
                    line.Add(b);
                    if (b == (byte)'\n')
                    {
                        log.Write([.. prefix, .. line]);
                        line.Clear();
                    }
                }
            }, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException or DockerApiException)
        {
        }
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> labels, string key, string value) =>
        new(labels.Append(KeyValuePair.Create(key, value)), StringComparer.Ordinal);
}
