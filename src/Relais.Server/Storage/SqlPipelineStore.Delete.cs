using Dapper;

namespace Relais.Server.Storage;

/// <summary>Deleting a pipeline (<c>DELETE /projects/:id/pipelines/:pipeline_id</c>): its row, its jobs, their artifact rows, its resource group queue places and its schedule run, in one transaction.</summary>
internal sealed partial class SqlPipelineStore
{
    public async Task<DeletedPipeline?> DeletePipelineAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        if (_sql.LockPipeline.Length > 0)
        {
            await c.ExecuteAsync(new CommandDefinition(_sql.LockPipeline, new { pipelineId }, tx, cancellationToken: cancel));
        }

        var jobIds = (await c.QueryAsync<long>(new CommandDefinition("SELECT id FROM jobs WHERE pipeline_id = @pipelineId", new { pipelineId }, tx, cancellationToken: cancel))).ToList();
        var blobs = (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT a.blob_path FROM artifacts a JOIN jobs j ON j.id = a.job_id WHERE j.pipeline_id = @pipelineId", new { pipelineId }, tx, cancellationToken: cancel))).ToList();
        await c.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM artifacts WHERE job_id IN (SELECT id FROM jobs WHERE pipeline_id = @pipelineId);
            DELETE FROM jobs WHERE pipeline_id = @pipelineId;
            DELETE FROM resource_group_waiting WHERE pipeline_id = @pipelineId;
            DELETE FROM pipeline_schedule_runs WHERE pipeline_id = @pipelineId;
            """,
            new { pipelineId },
            tx,
            cancellationToken: cancel));
        var deleted = await c.ExecuteAsync(new CommandDefinition("DELETE FROM pipelines WHERE id = @pipelineId", new { pipelineId }, tx, cancellationToken: cancel));
        await tx.CommitAsync(cancel);
        _states.Remove(pipelineId);
        return deleted == 0 ? null : new DeletedPipeline(jobIds, blobs);
    }
}
