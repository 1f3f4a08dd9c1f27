namespace Relais.Server.Api;

/// <summary>
/// GitLab's rules for an outside system's commit status (<c>POST /projects/:id/statuses/:sha</c>), pure: which states a
/// report may ask for, and how a status moves. A new status starts <c>created</c>; a report of the same name on the
/// same sha and ref updates the status in place only while it is <c>pending</c> or <c>running</c> (a finished one
/// stays, and the report starts a new one). Asking for <c>pending</c> is the event <c>enqueue</c>, <c>running</c> is
/// <c>run</c> (a created status is enqueued first), <c>success</c>, <c>failed</c> (<c>drop</c>), <c>canceled</c>
/// (<c>cancel</c>) and <c>skipped</c> (<c>skip</c>); an event the current state does not allow is 400 with GitLab's message.
/// </summary>
internal static class CommitStatusRules
{
    /// <summary>The states a report may set.</summary>
    public static IReadOnlyList<string> States { get; } = ["pending", "running", "success", "failed", "canceled", "skipped"];

    /// <summary>The state after asking for <paramref name="wanted"/> from <paramref name="current"/>, or GitLab's message when the move is not allowed.</summary>
    public static (string? Next, string? Problem) Move(string current, string wanted)
    {
        var (verb, allowed) = wanted switch
        {
            "pending" => ("enqueue", current is "created" or "skipped"),
            "running" => ("run", current is "created" or "pending"),
            "success" => ("success", current is "created" or "pending" or "running"),
            "failed" => ("drop", current is "created" or "pending" or "running"),
            "canceled" => ("cancel", current is "created" or "pending" or "running"),
            "skipped" => ("skip", current is "created"),
            _ => ("", false),
        };
        if (verb.Length == 0)
        {
            return (null, "state does not have a valid value");
        }

        return allowed ? (wanted, null) : (null, $"Cannot transition status via :{verb} from :{current} (Reason(s): Status cannot transition via \"{verb}\")");
    }

    /// <summary>Whether a status in <paramref name="state"/> has finished (its <c>finished_at</c> is set on entering it).</summary>
    public static bool IsFinished(string state) => state is "success" or "failed" or "canceled" or "skipped";
}
