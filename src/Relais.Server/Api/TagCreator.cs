using Microsoft.AspNetCore.Http;
using Relais.Git;
using Relais.Server.Git;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Creates a tag the way <c>POST /repository/tags</c> does (and a release whose tag is missing): checks the name, the
/// target and the protected tags' rules (<see cref="PushRules"/>), writes a lightweight tag or, with a message, an
/// annotated one by the caller, records it in the audit log and runs the pipeline the new tag gets.
/// </summary>
internal sealed class TagCreator(AuditLog auditLog, ProjectRepository repository, IProjectStore projectStore, PushPipelines pushes)
{
    /// <summary>The new tag's commit, or GitLab's answer refusing it (400 bad name or target, 403 protected, 409 exists).</summary>
    public async Task<(string? Sha, IResult? Refused)> CreateAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string name, string from, string? message)
    {
        var (sha, refused) = await TryCreateAsync(http, caller, project, name, from, message);
        return (sha, refused?.ToResult());
    }

    /// <summary>The new tag's commit, or why it was refused (400 bad name or target, 403 protected, 409 exists).</summary>
    public async Task<(string? Sha, ApiRefusal? Refused)> TryCreateAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string name, string from, string? message)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var git = repository.Open(project);
        if (git is not null && !await git.IsValidRefNameAsync(RepositoryRefs.Tags, name, CancellationToken.None))
        {
            return (null, new ApiRefusal(StatusCodes.Status400BadRequest, "Tag name invalid"));
        }

        if (git is null || await git.ResolveCommitAsync(from, CancellationToken.None) is not { } sha)
        {
            return (null, new ApiRefusal(StatusCodes.Status400BadRequest, "Target " + from + " is invalid"));
        }

        var rules = await ProtectedRefSet.LoadAsync(projectStore, project, CancellationToken.None);
        if (PushRules.Check(rules, Pusher.Of(caller, project), new RefChange(name, true, RefChangeKind.Create), viaWeb: true) is { } refused)
        {
            return (null, new ApiRefusal(StatusCodes.Status403Forbidden, refused));
        }

        var tagger = caller.User?.Username ?? "relais";
        var created = message is { Length: > 0 }
            ? await git.CreateAnnotatedTagAsync(name, sha, message, tagger, tagger + "@relais.invalid", CancellationToken.None)
            : await git.CreateRefAsync(RepositoryRefs.Tags + name, sha, CancellationToken.None);
        if (!created)
        {
            return (null, new ApiRefusal(StatusCodes.Status409Conflict, "Tag " + name + " already exists"));
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "tag_created", "Project", project.Id, project.Path, name + " at " + sha);
        await pushes.HandleAsync(project.Path, repository.PathOf(project), [new RefUpdate(GitRepositories.ZeroSha, sha, RepositoryRefs.Tags + name)], caller.User, CancellationToken.None);
        return (sha, null);
    }
}
