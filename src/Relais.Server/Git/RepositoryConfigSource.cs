using Relais.Git;
using Relais.Pipelines.Context;
using Relais.Server.Api;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Git;

/// <summary>
/// <c>POST /projects/:id/pipeline?ref=</c> for a project hosted here: the configuration and commit at the
/// tip of the branch or tag (<see cref="CommitPipelines"/>, as for a push of that tip), with source <c>api</c> and
/// nothing to compare with. Projects without a repository fall back to <paramref name="fallback"/>.
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

        var git = GitRepository.Bare(repositories.PathOf(project.Path));
        var branchSha = await git.ResolveCommitAsync("refs/heads/" + gitRef, cancel);
        var sha = branchSha ?? await git.ResolveCommitAsync("refs/tags/" + gitRef, cancel);
        if (sha is null)
        {
            return null;
        }

        var context = await CommitPipelines.ContextAsync(git, new CommitTrigger(gitRef, branchSha is null, sha, PipelineSource.Api), cancel);
        return context is null ? null : await CommitPipelines.InputAsync(git, context, cancel);
    }
}
