using Relais.Pipelines.Context;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>
/// Plays a manual job with the variables a person gave (the REST API's <c>job_variables_attributes</c>, the web job
/// page's form): they are kept with the attempt before the engine hears of the play, so the runner that takes the job
/// sees them, and put back as they were when the engine rejects the play.
/// </summary>
public sealed class ManualJobPlays(UserActions actions, IJobPlayVariableStore store, SecretBox secrets, TimeProvider time)
{
    public async Task<(bool Accepted, JobRecord Shown)> PlayAsync(JobRecord job, IReadOnlyList<ContextVariable> variables, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(variables);
        string? previous = null;
        if (variables.Count > 0)
        {
            previous = await store.OfAttemptAsync(job.Id, cancel);
            await store.SetAsync(job.Id, PlayVariables.Seal(variables, secrets), time.GetUtcNow(), cancel);
        }

        var (accepted, shown) = await actions.OnJobAsync(job, JobAction.Play, cancel);
        if (!accepted && variables.Count > 0)
        {
            await store.SetAsync(job.Id, previous, time.GetUtcNow(), CancellationToken.None);
        }

        return (accepted, shown);
    }
}
