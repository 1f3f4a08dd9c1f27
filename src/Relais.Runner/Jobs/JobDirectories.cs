using System.Globalization;
using Relais.Protocol.Jobs;

namespace Relais.Runner.Jobs;

/// <summary>Where a job's files go, from the payload: the project's path and its build directory name.</summary>
public static class JobDirectories
{
    /// <summary>
    /// The project's path: from <c>repo_url</c> when it is a URL with a host (its path without <c>.git</c>, as
    /// gitlab-runner does), else <c>job_info.project_full_path</c>, else <c>project-&lt;id&gt;</c>.
    /// </summary>
    public static string ProjectPath(JobResponse job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (Uri.TryCreate(job.GitInfo.RepoUrl, UriKind.Absolute, out var url) && url.Host.Length > 0 && !url.IsFile)
        {
            var path = Clean(url.AbsolutePath);
            if (path is not null)
            {
                return path;
            }
        }

        return Clean(job.JobInfo.ProjectFullPath ?? "") ?? "project-" + job.JobInfo.ProjectId.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The project directory relative to the builds directory: <c>&lt;short token&gt;/&lt;concurrent project id&gt;/&lt;project path&gt;</c>.</summary>
    public static string ProjectDirName(JobResponse job, RunnerSettings settings, int concurrentProjectId)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return $"{settings.ShortToken}/{concurrentProjectId.ToString(CultureInfo.InvariantCulture)}/{ProjectPath(job)}";
    }

    private static string? Clean(string path)
    {
        var segments = Uri.UnescapeDataString(path).Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (segments.Count > 0 && segments[^1].EndsWith(".git", StringComparison.Ordinal))
        {
            segments[^1] = segments[^1][..^4];
        }

        return segments.Count == 0 || segments.Any(s => s is "." or ".." || s.Length == 0) ? null : string.Join('/', segments);
    }
}
