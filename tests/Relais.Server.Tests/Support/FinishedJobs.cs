using Relais.Protocol;
using Relais.Server.Storage;

namespace Relais.Server.Tests.Support;

/// <summary>Waits for the job of a one-job pipeline to finish.</summary>
internal static class FinishedJobs
{
    /// <summary>
    /// The single job of <paramref name="pipeline"/> once it has succeeded, failed or been canceled, looking every
    /// 100 ms; after <paramref name="limit"/> (default 60 s) the job as it stands then.
    /// </summary>
    public static async Task<JobRecord> WaitForFinishedJobAsync(this TestServer server, long pipeline, TimeSpan? limit = null)
    {
        var until = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = (await server.Host.Stores.Pipelines.JobsOfPipelineAsync(pipeline)).Single();
            if (job.Status is CiStatus.Success or CiStatus.Failed or CiStatus.Canceled || DateTime.UtcNow > until)
            {
                return job;
            }

            await Task.Delay(100);
        }
    }
}
