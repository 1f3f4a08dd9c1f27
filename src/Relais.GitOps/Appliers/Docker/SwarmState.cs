namespace Relais.GitOps.Appliers.Docker;

/// <summary>Reads a stack's services, their tasks and its configs and secrets through the docker CLI.</summary>
public sealed class SwarmState(DockerTool docker)
{
    /// <summary>The label <c>docker stack deploy</c> puts on everything of a stack.</summary>
    public const string StackLabel = "com.docker.stack.namespace";

    /// <summary>The stack's services.</summary>
    public async Task<IReadOnlyList<SwarmService>> ServicesAsync(string stack, CancellationToken cancellationToken)
    {
        var ids = Lines(await docker.RunAsync(["service", "ls", "-q", "--filter", $"label={StackLabel}={stack}"], cancellationToken));
        return ids.Count == 0 ? [] : SwarmService.ParseAll(await docker.RunAsync(["service", "inspect", .. ids], cancellationToken));
    }

    /// <summary>Every task of these services the engine still keeps (running ones and the recent history).</summary>
    public async Task<IReadOnlyList<SwarmTask>> TasksAsync(IEnumerable<SwarmService> services, CancellationToken cancellationToken)
    {
        var names = services.Select(s => s.Id).ToList();
        if (names.Count == 0)
        {
            return [];
        }

        var ids = Lines(await docker.RunAsync(["service", "ps", "-q", "--no-trunc", .. names], cancellationToken)).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        // A task can go between the two calls: inspect answers the others and fails; read them one by one then.
        var all = await docker.TryAsync(["inspect", "--type", "task", .. ids], cancellationToken);
        if (all.Succeeded)
        {
            return SwarmTask.ParseAll(all.Output);
        }

        var tasks = new List<SwarmTask>();
        foreach (var id in ids)
        {
            var one = await docker.TryAsync(["inspect", "--type", "task", id], cancellationToken);
            if (one.Succeeded)
            {
                tasks.AddRange(SwarmTask.ParseAll(one.Output));
            }
        }

        return tasks;
    }

    /// <summary>The names of all configs (<paramref name="kind"/> <c>config</c>) or secrets on the swarm.</summary>
    public async Task<IReadOnlySet<string>> ObjectNamesAsync(string kind, CancellationToken cancellationToken) =>
        Lines(await docker.RunAsync([kind, "ls", "--format", "{{.Name}}"], cancellationToken)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The stack's content-hashed configs or secrets (<see cref="ContentHashedObjects.Label"/>).</summary>
    public async Task<IReadOnlyList<string>> HashedObjectsAsync(string kind, string stack, CancellationToken cancellationToken) =>
        Lines(await docker.RunAsync([kind, "ls", "--filter", $"label={StackLabel}={stack}", "--filter", $"label={ContentHashedObjects.Label}", "--format", "{{.Name}}"], cancellationToken));

    internal static List<string> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
