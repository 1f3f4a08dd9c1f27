using Relais.GitOps.Config;

namespace Relais.GitOps.Agent;

/// <summary>
/// The agent's log: one line per event, <c>relais gitops: SwarmStack flux-system/demo: …</c>. A resource's error is
/// written once when it appears or changes, not every interval, and its recovery once.
/// </summary>
public sealed class AgentLog(TextWriter writer)
{
    private readonly Dictionary<string, string?> _lastProblem = new(StringComparer.Ordinal);

    public static string Label(GitOpsResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return $"{resource.Kind} {resource.Key}";
    }

    /// <summary>Writes an event of the agent (not of one resource).</summary>
    public void Agent(string message) => Write("relais gitops: " + message);

    /// <summary>Writes what happened to a resource (a new revision, a commit pushed, an apply that changed something).</summary>
    public void Event(GitOpsResource resource, string message) => Write($"relais gitops: {Label(resource)}: {message}");

    /// <summary>Records a resource's problem (an error, an unhealthy apply, what it waits for); written only when it differs from the last one.</summary>
    /// <param name="resource">The resource.</param>
    /// <param name="problem">The line to write.</param>
    /// <param name="topic">What part of the resource's work (e.g. <c>deployment</c>): each topic remembers its own last problem.</param>
    public void Problem(GitOpsResource resource, string problem, string topic = "")
    {
        var label = Label(resource);
        var key = label + "#" + topic;
        lock (_lastProblem)
        {
            if (_lastProblem.TryGetValue(key, out var last) && last == problem)
            {
                return;
            }

            _lastProblem[key] = problem;
        }

        Write($"relais gitops: {label}: {problem}");
    }

    /// <summary>Records that a resource reconciled; after a problem, says so once.</summary>
    public void Ready(GitOpsResource resource, string topic = "", string message = "ready")
    {
        var label = Label(resource);
        lock (_lastProblem)
        {
            if (!_lastProblem.Remove(label + "#" + topic))
            {
                return;
            }
        }

        Write($"relais gitops: {label}: {message}");
    }

    private void Write(string line)
    {
        lock (writer)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
