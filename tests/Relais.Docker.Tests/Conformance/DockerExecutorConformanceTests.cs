using System.Formats.Tar;
using Relais.Docker.Tests.Support;
using Relais.Runner.Docker;
using Relais.Runner.Executors;
using Relais.Runner.Executors.Docker;
using Relais.Runner.Tests.Conformance;

namespace Relais.Docker.Tests.Conformance;

/// <summary>
/// The docker executor against the shared conformance suite, in the busybox image. Processes live in the script's
/// container, so the suite's process checks look there (<c>kill -0</c> through exec) and its mid-job file reads go
/// through the archive API.
/// </summary>
public sealed class DockerExecutorConformanceTests : ExecutorConformanceTests
{
    private static readonly KeyValuePair<string, string>[] Managed = [KeyValuePair.Create("relais.managed", "true")];
    private readonly DockerClient _docker = DockerTest.Client();

    protected override IExecutor CreateExecutor(string buildsDir) =>
        new DockerExecutor(new DockerExecutorSettings { BuildsDir = buildsDir, DefaultImage = DockerTest.Busybox, KillGracePeriod = TimeSpan.FromSeconds(2) });

    /// <summary>Readable by the image's user, whoever that is (the files are copied in as root's).</summary>
    protected override string FileVariableMode => "644";

    protected override string ReadRunningJobFile(string hostProjectDir, string name)
    {
        var container = RunningScript() ?? throw new InvalidOperationException("no script container runs");
        var path = Executor.LastPaths!.ProjectDir + "/" + name;
        using var response = _docker.GetArchiveAsync(container, path, CancellationToken.None).GetAwaiter().GetResult();
        using var reader = new TarReader(response.Content.ReadAsStream());
        var entry = reader.GetNextEntry() ?? throw new InvalidOperationException($"{path} is empty");
        using var text = new StreamReader(entry.DataStream!);
        return text.ReadToEnd();
    }

    protected override bool IsAlive(int pid)
    {
        var container = RunningScript();
        if (container is null)
        {
            return false;
        }

        var (exit, _) = _docker.ExecAsync(container, ["kill", "-0", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], CancellationToken.None).GetAwaiter().GetResult();
        return exit == 0;
    }

    private string? RunningScript() =>
        _docker.ListContainersAsync(Managed, CancellationToken.None).GetAwaiter().GetResult()
            .FirstOrDefault(c => c.State == "running" && c.Name.Contains("-script-", StringComparison.Ordinal))?.Id;
}
