using Relais.Server.Storage;

namespace Relais.Server.Registry.Cleanup;

/// <summary>
/// Runs projects' cleanup policies when they are due: every <c>interval</c> (and once at start) it claims each due
/// policy's run with a conditional update of <c>next_run_at</c> (now plus the cadence), so one coordinator of several
/// runs it; applies the policy's rules to every repository of the project (recording <c>cleanup_policy_started_at</c>),
/// and when a round deleted anything, runs the registry's garbage collection once. A repository the registry refuses
/// is logged and skipped; a failed pass is logged and tried again at the next tick.
/// </summary>
public sealed class CleanupPolicyScheduler(
    IContainerExpirationPolicyStore policies, IContainerRepositoryStore repositories, IProjectStore projects, RepositoryCleanup cleanup,
    RegistryGarbageCollector garbage, TimeProvider time, TextWriter log, TimeSpan interval)
{
    /// <summary>How many due policies one pass takes at most (the rest wait for the next pass).</summary>
    private const int Batch = 50;

    private Task _loop = Task.CompletedTask;

    /// <summary>Starts the loop, which ends when <paramref name="stopping"/> fires (the server stops).</summary>
    public void Start(CancellationToken stopping) =>
        _loop = Reliability.PeriodicPass.RunAsync("the registry cleanup policies", c => RunDueAsync(c), interval, time, log, stopping);

    public Task Loop => _loop;

    /// <summary>Runs every due policy this coordinator claims; returns how many tags were deleted.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancel = default)
    {
        var now = time.GetUtcNow();
        var deleted = 0;
        foreach (var policy in await policies.ListDueAsync(now, Batch, cancel))
        {
            if (!await policies.ClaimRunAsync(policy.ProjectId, policy.NextRunAt!, ExpirationPolicyRules.NextRunAt(policy, now), now, cancel))
            {
                continue; // another coordinator took this run
            }

            if (ExpirationPolicyRules.Problems(policy).Count > 0 || await projects.GetProjectAsync(policy.ProjectId, cancel) is not { } project)
            {
                continue; // stored before validation (or the project is gone): nothing to apply
            }

            deleted += await RunPolicyAsync(project, ExpirationPolicyRules.TagRules(policy), cancel);
        }

        if (deleted > 0)
        {
            await garbage.RunAsync($"{deleted} tag(s) deleted by cleanup policies", cancel);
        }

        return deleted;
    }

    private async Task<int> RunPolicyAsync(ProjectRecord project, TagCleanupRules rules, CancellationToken cancel)
    {
        var deleted = 0;
        foreach (var repository in await repositories.ListAsync(project.Id, cancel))
        {
            var path = repository.PathIn(project.Path);
            await policies.SetCleanupStartedAsync(repository.Id, time.GetUtcNow(), cancel);
            try
            {
                var tags = await cleanup.RunAsync(path, rules, cancel);
                deleted += tags.Count;
                if (tags.Count > 0)
                {
                    await log.WriteLineAsync($"relais serve: cleanup policy of {project.Path}: {tags.Count} tag(s) of {path} deleted");
                }
            }
            catch (RegistryException e)
            {
                await log.WriteLineAsync($"relais serve: cleanup policy of {project.Path}: {path} skipped ({Relais.Protocol.LogText.Safe(e.Message)})");
            }
            catch (HttpRequestException e)
            {
                await log.WriteLineAsync($"relais serve: cleanup policy of {project.Path}: {path} skipped, the registry cannot be reached ({Relais.Protocol.LogText.Safe(e.Message)})");
            }
        }

        return deleted;
    }
}
