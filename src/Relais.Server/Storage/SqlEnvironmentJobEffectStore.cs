using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IEnvironmentJobEffectStore"/> over SQLite or PostgreSQL (<c>environment_job_effects</c>).</summary>
internal sealed class SqlEnvironmentJobEffectStore(IDatabase db) : IEnvironmentJobEffectStore
{
    public async Task<bool> TryMarkAsync(long jobId, string status, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO environment_job_effects (job_id, status) VALUES (@jobId, @status) ON CONFLICT (job_id) DO NOTHING",
            new { jobId, status },
            cancellationToken: cancel)) == 1;
    }
}
