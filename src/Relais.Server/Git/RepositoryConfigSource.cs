using Relais.Pipelines.Context;
using Relais.Server.Api;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Git;

/// <summary>
/// <c>POST /projects/:id/pipeline?ref=</c> for a project hosted here: the configuration and commit at the
/// tip of the branch or tag, like a push of that tip but with source <c>api</c> and nothing to compare
/// with. Projects without a repository fall back to <paramref name="fallback"/>.
/// </summary>
internal sealed class RepositoryConfigSource(GitRepositories repositories, IPipelineConfigSource fallback) : IPipelineConfigSource
{
    public async Task<PipelineInput?> ResolveAsync(ProjectRecord project, string gitRef, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (!repositories.Exists(project.Path))
        {
            return await fallback.ResolveAsync(project, gitRef, cancel);
        }

        var gitDir = repositories.PathOf(project.Path);
        var branchSha = await GitRepositories.ResolveAsync(gitDir, "refs/heads/" + gitRef);
        var sha = branchSha ?? await GitRepositories.ResolveAsync(gitDir, "refs/tags/" + gitRef);
        if (sha is null)
        {
            return null;
        }

        var commit = await PushPipelines.CommitInfo.ReadAsync(gitDir, sha);
        var context = new PipelineContext
        {
            Ref = gitRef,
            IsTag = branchSha is null,
            Source = PipelineSource.Api,
            Sha = sha,
            CommitMessage = commit.Message,
            CommitAuthor = commit.Author,
            CommitTimestamp = commit.Timestamp,
        };
        var files = new CommitFiles(gitDir, sha);
        return files.ReadFile(context.ConfigPath) is null
            ? null
            : new PipelineInput(files, context) { BeforeStart = id => GitRepositories.CreatePipelineRefAsync(gitDir, id, sha) };
    }
}
