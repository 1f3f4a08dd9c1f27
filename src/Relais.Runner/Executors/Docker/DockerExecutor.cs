using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Relais.Protocol;
using Relais.Runner.Docker;
using Relais.Runner.Shells;
using Relais.Runner.Trace;

namespace Relais.Runner.Executors.Docker;

/// <summary>
/// Runs each job in containers of its image, through the Docker Engine API (local socket or remote TCP/TLS). Prepare
/// pulls the image, makes a per-job volume for the builds directory, a per-job network with the services, and the
/// runner's staging directories. Each script runs in a new container of the job image that mounts the volume: the
/// files the runner made in its staging directories since the last script go in through the archive API first, the
/// project directory comes back out after, so the runner's stages (checkout, caches, artifacts) work unchanged and no
/// disk is shared with the engine. Stopping a script stops its container (SIGTERM, SIGKILL after the grace period),
/// which ends every process the script started. With the coordinator's registry CA (<see cref="RegistryCa"/>), every
/// service and script container gets it in <c>/etc/docker/certs.d</c> before it starts, and a local engine's host too.
/// Cleanup removes everything labelled with the run's id.
/// </summary>
public sealed class DockerExecutor : IExecutor, IDisposable
{
    private const string DetectShell = "if command -v bash >/dev/null 2>&1; then exec bash -c \"$1\"; fi; exec sh -c \"$1\"";
    private readonly DockerExecutorSettings _options;
    private readonly ImagePuller _images;
    private readonly ServiceStarter _services;
    private readonly ConcurrentDictionary<string, DockerJob> _jobs = new(StringComparer.Ordinal);

    /// <summary>Creates the executor; the engine is not contacted until a job prepares.</summary>
    public DockerExecutor(DockerExecutorSettings options, DockerClient? client = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Docker = client ?? new DockerClient(options.Endpoint);
        _images = new ImagePuller(Docker, options);
        _services = new ServiceStarter(Docker, options, _images);
    }

    /// <summary>The engine client.</summary>
    public DockerClient Docker { get; }

    /// <inheritdoc />
    public ExecutorInfo Info { get; } = new("docker", "sh", DisposableEnvironment: true);

    /// <summary>The runs with resources right now (the reaper leaves them alone).</summary>
    public IReadOnlyCollection<string> ActiveRuns => [.. _jobs.Keys];

    /// <inheritdoc />
    public async Task<PrepareResult> PrepareAsync(JobEnvironment environment, IJobLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(log);
        var image = environment.Variables.Expand(environment.Image?.Name is { Length: > 0 } name ? name : _options.DefaultImage);
        log.Info($"Using Docker executor with image {image} ...");
        if (!ImageGlob.Allowed(image, _options.AllowedImages))
        {
            return PrepareResult.Failed(FailureReasons.RunnerSystemFailure, $"the image {image} is not allowed (allowed_images: {string.Join(", ", _options.AllowedImages)})");
        }

        var job = NewJob(environment, image);
        _jobs[environment.RunId] = job;
        if (job.RegistryCa is { } ca && _options.HostCertsDir is { } certs && Docker.Endpoint.IsLocal && ca.IsTheCoordinators(environment.Credentials))
        {
            ca.TrustOnHost(certs, log);
        }

        var (inspect, error) = await _images.EnsureAsync(image, environment.Image?.PullPolicy, environment, log, cancellationToken);
        if (inspect is null)
        {
            return PrepareResult.Failed(FailureReasons.ImagePullFailure, error ?? $"image {image} is not available");
        }

        log.Info($"Using docker image {inspect["Id"]?.GetValue<string>()} for {image} ...");
        await Docker.CreateVolumeAsync(job.BuildsVolume, job.Labels, cancellationToken);
        job.Binds.Add($"{job.BuildsVolume}:{DockerJob.BuildsMount}");
        await AddVolumesAsync(job, cancellationToken);
        if (_options.MountDockerSocket && Docker.Endpoint.Host.StartsWith("unix://", StringComparison.Ordinal))
        {
            job.Binds.Add($"{Docker.Endpoint.Host["unix://".Length..]}:/var/run/docker.sock");
            job.ExtraEnvironment.Add(KeyValuePair.Create("COMPOSE_PROJECT_NAME", job.Prefix));
        }

        if (environment.Services.Count > 0)
        {
            job.Network = job.Prefix;
            await Docker.CreateNetworkAsync(job.Network, job.Labels, cancellationToken);
            var (reason, serviceError) = await _services.StartAsync(job, log, cancellationToken);
            if (serviceError is not null)
            {
                return PrepareResult.Failed(reason ?? FailureReasons.RunnerSystemFailure, serviceError);
            }
        }

        Directory.CreateDirectory(job.Paths.HostProjectDir);
        Directory.CreateDirectory(job.Paths.HostTempDir);
        return PrepareResult.Ready(job.Paths);
    }

    /// <inheritdoc />
    public async Task<ScriptResult> RunScriptAsync(JobEnvironment environment, ScriptRequest script, IJobLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(log);
        if (cancellationToken.IsCancellationRequested)
        {
            return ScriptResult.Canceled();
        }

        if (!_jobs.TryGetValue(environment.RunId, out var job))
        {
            return ScriptResult.Failure("the job's containers are gone");
        }

        var removed = job.ProjectSynced.Entries.Count == 0 ? [] : WorkspaceSnapshot.Take(job.Paths.HostProjectDir).RemovedSince(job.ProjectSynced).ToList();

        var name = $"{job.Prefix}-script-{++job.Scripts}-{DockerLabels.Safe(script.Name)}";
        var spec = ContainerSpecs.Container(_options, new ContainerRequest
        {
            Image = job.Image, Entrypoint = job.Entrypoint, Command = ["sh", "-c", DetectShell, "sh", Render(script, job, removed)],
            Environment = [.. script.Environment, .. job.ExtraEnvironment], Labels = job.Labels, Binds = job.Binds,
            WorkingDir = script.WorkingDirectory ?? job.Paths.ProjectDir, User = job.User, Network = job.Network, Aliases = ["build"],
            Privileged = _options.Privileged,
        });
        var id = await Docker.CreateContainerAsync(name, spec, cancellationToken);
        try
        {
            if (job.RegistryCa is { } ca)
            {
                await ca.PutIntoAsync(Docker, id, log, cancellationToken);
            }

            await CopyInAsync(job, id, cancellationToken);
            return await RunContainerAsync(id, log, cancellationToken);
        }
        finally
        {
            // The volume keeps the changes for the next script; the staging copy needs them only when the host reads it.
            if (script.HostReadsChanges)
            {
                await CopyOutAsync(job, id, log);
            }

            await Docker.RemoveContainerAsync(id, CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public async Task CleanupAsync(JobEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (_jobs.TryRemove(environment.RunId, out var job))
        {
            await job.ServiceLogs.CancelAsync();
            job.ServiceLogs.Dispose();
            Files.Directories.DeleteRecursively(job.Paths.HostTempDir);
        }

        await DockerReaper.RemoveAsync(Docker, DockerLabels.OfRun(environment.RunId), _ => true, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => Docker.Dispose();

    private DockerJob NewJob(JobEnvironment environment, string image)
    {
        var root = Path.GetFullPath(_options.BuildsDir);
        var hostProject = Path.GetFullPath(Path.Combine(root, environment.ProjectDirName));
        if (!hostProject.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"the project directory '{environment.ProjectDirName}' leaves the builds directory");
        }

        var project = DockerJob.BuildsMount + "/" + environment.ProjectDirName;
        var paths = new JobPaths(DockerJob.BuildsMount, project, project + ".tmp", hostProject, hostProject + ".tmp");
        var labels = new Dictionary<string, string>(environment.Labels, StringComparer.Ordinal) { [DockerLabels.Managed] = "true" };
        return new DockerJob
        {
            Environment = environment, Paths = paths, Image = image, Labels = labels, RegistryCa = RegistryCa.Of(environment.Variables),
            Prefix = $"relais-{environment.JobId.ToString(CultureInfo.InvariantCulture)}-{environment.RunId[..Math.Min(12, environment.RunId.Length)]}",
            Entrypoint = environment.Image?.Entrypoint, User = environment.Image?.ExecutorOpts.Docker?.User,
        };
    }

    /// <summary>The runner's volumes: binds and named volumes as given; a bare path is a per-project cache volume.</summary>
    private async Task AddVolumesAsync(DockerJob job, CancellationToken cancellationToken)
    {
        foreach (var volume in _options.Volumes)
        {
            if (volume.Contains(':', StringComparison.Ordinal))
            {
                job.Binds.Add(volume);
                continue;
            }

            var project = job.Environment.Labels.GetValueOrDefault("relais.project.id", "0");
            var name = DockerLabels.Safe($"relais-cache-{job.Environment.Labels.GetValueOrDefault(DockerLabels.Runner, "")}-project-{project}-{volume.Trim('/')}");
            var labels = new Dictionary<string, string>
            {
                [DockerLabels.Managed] = "true", [DockerLabels.Cache] = "true", ["relais.project.id"] = project,
                [DockerLabels.Runner] = job.Environment.Labels.GetValueOrDefault(DockerLabels.Runner, ""),
            };
            await Docker.CreateVolumeAsync(name, labels, cancellationToken);
            job.Binds.Add($"{name}:{volume}");
        }
    }

    private static string Render(ScriptRequest script, DockerJob job, IReadOnlyList<string> removed)
    {
        var text = new StringBuilder();
        foreach (var path in removed)
        {
            text.Append("rm -rf -- ").Append(ShellScript.Quote(job.Paths.ProjectDir + "/" + path)).Append('\n');
        }

        text.Append("if [ -n \"${BASH_VERSION:-}\" ]; then set -o pipefail; fi\n");
        text.Append(ShellScript.Render(script, "sh"));
        return text.ToString();
    }

    private async Task<ScriptResult> RunContainerAsync(string id, IJobLog log, CancellationToken cancellationToken)
    {
        await Docker.StartContainerAsync(id, CancellationToken.None);
        var logs = Docker.LogsAsync(id, follow: true, (_, bytes) => log.Write(bytes.Span), CancellationToken.None);
        try
        {
            var exit = await Docker.WaitContainerAsync(id, cancellationToken);
            await logs;
            return ScriptResult.Exit(exit);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Docker.StopContainerAsync(id, _options.KillGracePeriod, CancellationToken.None);
            await Docker.WaitContainerAsync(id, CancellationToken.None);
            await Task.WhenAny(logs, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
            return ScriptResult.Canceled();
        }
    }

    /// <summary>Puts what changed in the staging directories since the last sync into the volume (through the script's container); nothing when nothing changed.</summary>
    private async Task CopyInAsync(DockerJob job, string containerId, CancellationToken cancellationToken)
    {
        var project = WorkspaceSnapshot.Take(job.Paths.HostProjectDir);
        var temp = WorkspaceSnapshot.Take(job.Paths.HostTempDir);
        var projectChanged = project.ChangedSince(job.ProjectSynced).ToList();
        var tempChanged = temp.ChangedSince(job.TempSynced).ToList();
        if (projectChanged.Count == 0 && tempChanged.Count == 0)
        {
            return;
        }

        await using var tar = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        using (var writer = new System.Formats.Tar.TarWriter(tar, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true))
        {
            WorkspaceTar.Write(writer, job.ProjectRelative, job.Paths.HostProjectDir, projectChanged);
            WorkspaceTar.Write(writer, job.ProjectRelative + ".tmp", job.Paths.HostTempDir, tempChanged);
        }

        tar.Position = 0;
        await Docker.PutArchiveAsync(containerId, DockerJob.BuildsMount, tar, cancellationToken);
        job.ProjectSynced = project;
        job.TempSynced = temp;
    }

    /// <summary>
    /// Replaces the staging project directory with the volume's (what the script made, changed or removed); a project
    /// directory the script removed empties it. A failure is a warning: the script's own result stands.
    /// </summary>
    private async Task CopyOutAsync(DockerJob job, string containerId, IJobLog log)
    {
        try
        {
            using var response = await Docker.GetArchiveAsync(containerId, job.Paths.ProjectDir, CancellationToken.None);
            await using var stream = await response.Content.ReadAsStreamAsync(CancellationToken.None);
            await WorkspaceTar.ReplaceAsync(stream, job.Paths.HostProjectDir, CancellationToken.None);
        }
        catch (DockerApiException e) when (e.NotFound)
        {
            Files.Directories.DeleteRecursively(job.Paths.HostProjectDir);
            Directory.CreateDirectory(job.Paths.HostProjectDir);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or InvalidDataException)
        {
            log.Warning($"could not copy the project directory out of the container: {e.Message}");
        }

        job.ProjectSynced = WorkspaceSnapshot.Take(job.Paths.HostProjectDir);
    }
}
