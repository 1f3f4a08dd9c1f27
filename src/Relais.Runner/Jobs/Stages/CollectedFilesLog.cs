using Relais.Runner.Files;
using Relais.Runner.Trace;

namespace Relais.Runner.Jobs.Stages;

/// <summary>Writes what a <see cref="FileCollector"/> found to the job log: counts as lines, misses as warnings.</summary>
internal static class CollectedFilesLog
{
    public static void Report(this IJobLog log, CollectedFiles files)
    {
        foreach (var message in files.Messages)
        {
            if (message.IsWarning)
            {
                log.Warning(message.Text);
            }
            else
            {
                log.Info(message.Text);
            }
        }
    }
}
