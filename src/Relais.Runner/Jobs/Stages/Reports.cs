using Relais.Protocol.Jobs;
using Relais.Protocol.Reports;

namespace Relais.Runner.Jobs.Stages;

/// <summary>Summaries of report artifacts in the job log: JUnit counts, dotenv variable counts or errors.</summary>
internal static class Reports
{
    public static void Summarize(JobContext context, string type, string root, IReadOnlyList<string> files)
    {
        switch (type)
        {
            case ArtifactTypes.Junit:
                var total = default(JunitSummary);
                foreach (var file in files)
                {
                    using var stream = File.OpenRead(Path.Combine(root, file));
                    var summary = JunitReport.Summarize(stream);
                    if (summary.Error is not null)
                    {
                        context.Log.Warning($"{file}: not a valid JUnit report: {summary.Error}");
                    }

                    total += summary with { Error = null };
                }

                context.Log.Info($"JUnit report: {total}");
                break;
            case ArtifactTypes.Dotenv:
                foreach (var file in files)
                {
                    var result = DotenvReport.Parse(File.ReadAllBytes(Path.Combine(root, file)));
                    if (result.Succeeded)
                    {
                        context.Log.Info($"dotenv report {file}: {result.Variables.Count} variables");
                    }
                    else
                    {
                        context.Log.Warning($"dotenv report {file} will be rejected: {result.Error}");
                    }
                }

                break;
        }
    }
}
