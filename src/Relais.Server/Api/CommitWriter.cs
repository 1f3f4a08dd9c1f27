using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Relais.Git;
using Relais.Server.Git;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Makes a commit asked for through the API, as GitLab's commits and files APIs do: checks who may push to the branch
/// (<see cref="MayPushTo"/>), where the commit starts (<c>start_sha</c>, <c>start_branch</c>, default the branch itself;
/// an empty repository starts from nothing), that a new branch does not overwrite an existing one unless <c>force</c>,
/// then commits with <see cref="RepositoryCommits"/>, audits it and starts the pipeline a push of the branch would.
/// </summary>
internal sealed partial class CommitWriter(ProjectRepository repository, IProjectStore projectStore, PushPipelines pushes, AuditLog auditLog)
{
    /// <summary>The commit made, or the refusal (GitLab's status and message).</summary>
    public async Task<(string? Sha, IResult? Refused)> CommitAsync(HttpContext http, ApiCaller caller, ProjectRecord project, CommitInput input)
    {
        if (!MayPushTo(caller, project, input.Branch))
        {
            return (null, NotAllowed);
        }

        if (input.Actions.Count == 0)
        {
            return Refuse("actions is empty");
        }

        var git = await repository.OpenOrCreateAsync(project, CancellationToken.None);
        if (!await git.IsValidRefNameAsync(RepositoryRefs.Branches, input.Branch, CancellationToken.None))
        {
            return Refuse("Branch name is invalid");
        }

        var empty = (await git.ListAsync(RepositoryRefs.Branches, CancellationToken.None)).Count == 0;
        var tip = await git.ResolveAsync(RepositoryRefs.Branches + input.Branch, CancellationToken.None);
        var (start, problem) = await StartAsync(git, input, empty);
        if (problem is not null)
        {
            return Refuse(problem);
        }

        var different = input.StartSha is not null || (input.StartBranch ?? input.Branch) != input.Branch;
        if (different && tip is not null && !input.Force && !empty)
        {
            return Refuse($"A branch called '{input.Branch}' already exists. Switch to that branch in order to make changes");
        }

        var change = new RefChange(input.Branch, false, tip is null ? RefChangeKind.Create : RefChangeKind.Update, IsForced: different && tip is not null && input.Force);
        if (PushRules.Check(await ProtectedRefSet.LoadAsync(projectStore, project, CancellationToken.None), Pusher.Of(caller, project), change, viaWeb: true) is not null)
        {
            return (null, NotAllowed);
        }

        var user = caller.User!;
        var committer = new CommitIdentity(user.Username, user.Username + "@relais.invalid");
        var plan = new CommitPlan(input.Branch, start, tip, input.Actions, input.Message)
        {
            Author = new CommitIdentity(input.AuthorName ?? committer.Name, input.AuthorEmail ?? committer.Email),
            Committer = committer,
        };
        var result = await git.CommitAsync(plan, CancellationToken.None);
        if (!result.Succeeded)
        {
            return Refuse(result.Message);
        }

        var summary = string.Join(", ", input.Actions.Select(a => $"{a.Kind.ToString().ToLowerInvariant()} {a.Path}"));
        await auditLog.RecordAsync(http, AuditActor.Of(user), "commit_created", "Project", project.Id, project.Path, $"{input.Branch} at {result.Sha}: {summary}");
        var update = new RefUpdate(tip ?? GitRepositories.ZeroSha, result.Sha!, RepositoryRefs.Branches + input.Branch);
        await pushes.HandleAsync(project.Path, repository.PathOf(project), [update], user, CancellationToken.None);
        return (result.Sha, null);
    }

    private static IResult NotAllowed => ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - You are not allowed to push into this branch");

    /// <summary>
    /// Whether the caller may push code at all (Developer); the protected branches' rules (<see cref="PushRules"/>) are
    /// asked once the change is known: creating or updating the branch, forced when <c>force</c> replaces its history.
    /// </summary>
    private static bool MayPushTo(ApiCaller caller, ProjectRecord project, string branch) => branch.Length > 0 && caller.CanWrite(project);

    /// <summary>The commit the new one starts from (null: an empty repository's first commit), or GitLab's message why there is none.</summary>
    private static async Task<(string? Start, string? Problem)> StartAsync(GitRepository git, CommitInput input, bool empty)
    {
        if (input.StartSha is { } sha)
        {
            if (input.StartBranch is not null)
            {
                return (null, "You can't pass both start_branch and start_sha");
            }

            if (!CommitId().IsMatch(sha))
            {
                return (null, $"Invalid start_sha '{sha}'");
            }

            return await git.ResolveCommitAsync(sha, CancellationToken.None) is { } found ? (found, null) : (null, $"Cannot find start_sha '{sha}'");
        }

        var from = input.StartBranch ?? input.Branch;
        if (await git.ResolveAsync(RepositoryRefs.Branches + from, CancellationToken.None) is { } tip)
        {
            return (tip, null);
        }

        return empty ? (null, null) : (null, "You can only create or edit files when you are on a branch");
    }

    private static (string?, IResult?) Refuse(string message) => (null, ApiJson.Error(StatusCodes.Status400BadRequest, message));

    [GeneratedRegex("^[0-9a-f]{40}$", RegexOptions.CultureInvariant)]
    private static partial Regex CommitId();
}
