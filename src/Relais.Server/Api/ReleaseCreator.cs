using Microsoft.AspNetCore.Http;
using Relais.Git;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>What a new release is made of: the fields of <c>POST /projects/:id/releases</c> and of the <c>release:</c> keyword.</summary>
internal sealed record ReleaseRequest(
    string? TagName, string? Name, string? Description, string? Ref, string? TagMessage, DateTimeOffset? ReleasedAt, IReadOnlyList<ReleaseLinkRecord> Links);

/// <summary>
/// Creates a release, the one way both the REST API and the <c>release:</c> keyword do: checks the tag name and the
/// asset links, refuses a tag that has a release already (409), makes a missing tag from <c>ref</c> (422 without one)
/// through <see cref="TagCreator"/>, stores the release by the caller and records it in the audit log.
/// </summary>
internal sealed class ReleaseCreator(AuditLog auditLog, IReleaseStore releases, ProjectRepository repository, TagCreator tags, TimeProvider time)
{
    public async Task<(ReleaseRecord? Created, ApiRefusal? Refused)> CreateAsync(HttpContext http, ApiCaller caller, ProjectRecord project, ReleaseRequest request)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(request);
        if (request.TagName is not { Length: > 0 } tagName)
        {
            return (null, new ApiRefusal(StatusCodes.Status400BadRequest, "400 Bad request - tag_name is missing"));
        }

        foreach (var link in request.Links)
        {
            if (ReleaseInput.Problem(link) is { } problem)
            {
                return (null, new ApiRefusal(StatusCodes.Status400BadRequest, problem.Problem, "links." + problem.Field));
            }
        }

        if (await releases.FindAsync(project.Id, tagName, CancellationToken.None) is not null)
        {
            return (null, new ApiRefusal(StatusCodes.Status409Conflict, "Release already exists"));
        }

        var git = repository.Open(project);
        var tag = git is null ? null : (await git.ListAsync(RepositoryRefs.Tags, CancellationToken.None)).FirstOrDefault(t => t.Name == tagName);
        var sha = tag?.CommitSha;
        if (tag is null)
        {
            if (request.Ref is not { Length: > 0 } from)
            {
                return (null, new ApiRefusal(StatusCodes.Status422UnprocessableEntity, "Ref is not specified"));
            }

            (sha, var refused) = await tags.TryCreateAsync(http, caller, project, tagName, from, request.TagMessage);
            if (refused is not null)
            {
                return (null, refused);
            }
        }

        var now = time.GetUtcNow();
        var record = new ReleaseRecord
        {
            ProjectId = project.Id,
            TagName = tagName,
            Name = request.Name is { Length: > 0 } name ? name : tagName,
            Description = request.Description,
            Sha = sha,
            AuthorId = caller.User?.Id,
        };
        if (await releases.AddAsync(record, request.Links, request.ReleasedAt ?? now, now, CancellationToken.None) is not { } created)
        {
            return (null, new ApiRefusal(StatusCodes.Status409Conflict, "Release already exists"));
        }

        await auditLog.RecordAsync(http, ReleaseEndpoints.Actor(caller), "release_created", "Project", project.Id, project.Path, tagName);
        return (created, null);
    }
}
