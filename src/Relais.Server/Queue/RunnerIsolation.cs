using Relais.Protocol.Requests;

namespace Relais.Server.Queue;

/// <summary>
/// Whether a runner may be given jobs of untrusted projects, from what it says of itself in <c>POST /jobs/request</c>:
/// it declares <c>info.features.untrusted_jobs</c> (a Relais runner: docker or auto executor, or a shell one whose
/// operator set <c>allow_untrusted</c>), or — a gitlab-runner, which does not know that flag — its <c>info.executor</c>
/// runs every job in a container or virtual machine. <c>shell</c>, <c>ssh</c> and <c>custom</c> do not isolate, nor
/// does a runner that says nothing.
/// </summary>
public static class RunnerIsolation
{
    /// <summary>gitlab-runner's executors that run each job apart from the runner's host.</summary>
    public static IReadOnlySet<string> IsolatingExecutors { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "docker", "docker+machine", "docker-autoscaler", "docker-windows", "kubernetes", "instance", "virtualbox", "parallels",
    };

    /// <summary>Whether the runner described by <paramref name="info"/> may run untrusted jobs.</summary>
    public static bool Isolates(RunnerDetails? info) =>
        info is not null && (info.Features?.UntrustedJobs == true || (info.Executor is { } executor && IsolatingExecutors.Contains(executor)));
}
