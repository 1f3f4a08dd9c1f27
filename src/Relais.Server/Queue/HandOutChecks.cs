using Relais.Server.Storage;

namespace Relais.Server.Queue;

/// <summary>Several <see cref="IHandOutCheck"/>s in order: the first that keeps a job back wins, the later ones are not asked.</summary>
public sealed class HandOutChecks(params IHandOutCheck[] checks) : IHandOutCheck
{
    public async Task<bool> DroppedAsync(JobRecord job, CancellationToken cancel)
    {
        foreach (var check in checks)
        {
            if (await check.DroppedAsync(job, cancel))
            {
                return true;
            }
        }

        return false;
    }
}
