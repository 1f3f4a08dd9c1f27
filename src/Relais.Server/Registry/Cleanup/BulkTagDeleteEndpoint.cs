using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Registry.Cleanup;

/// <summary>
/// <c>DELETE /projects/:id/registry/repositories/:repository_id/tags</c>, GitLab's bulk tag delete: Maintainer
/// (GitLab's <c>admin_container_image</c>); <c>name_regex_delete</c> (or its older name <c>name_regex</c>) required,
/// <c>name_regex_keep</c>, <c>keep_n</c>, <c>older_than</c> optional; answers 202 and deletes in the background
/// (<see cref="BulkTagDeletions"/>), at most once an hour per repository (400 with GitLab's message otherwise).
/// </summary>
internal sealed class BulkTagDeleteEndpoint(ApiGuard guard, AuditLog auditLog, IContainerRepositoryStore repositories, BulkTagDeletions deletions)
{
    public const string AlreadyRequested = "This request has already been made. You can run this at most once an hour for a given container repository";

    public void Map(IEndpointRouteBuilder app) =>
        app.MapDelete("/api/v4/projects/{id}/registry/repositories/{repositoryId}/tags", (HttpContext http, string id, string repositoryId) =>
            guard.ProjectAsync(http, id, AccessLevel.Maintainer, (caller, project) => DeleteAsync(http, caller, project, repositoryId)))
            .DisableAntiforgery();

    private async Task<IResult> DeleteAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string repositoryId)
    {
        if (!long.TryParse(repositoryId, NumberStyles.None, CultureInfo.InvariantCulture, out var rid)
            || await repositories.GetAsync(rid, http.RequestAborted) is not { } repository || repository.ProjectId != project.Id)
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "404 Not found");
        }

        var fields = await ApiParams.ReadAsync(http.Request);
        var (rules, problem) = Rules(fields);
        if (rules is null)
        {
            return ApiJson.Ok(new Dictionary<string, string> { ["error"] = problem! }, StatusCodes.Status400BadRequest);
        }

        var path = repository.PathIn(project.Path);
        if (!deletions.TryStart(repository.Id, path, rules))
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, "400 Bad request - " + AlreadyRequested);
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "container_tags_bulk_delete", "ContainerRepository", repository.Id, path,
            string.Join(", ", fields.Where(f => f.Key is "name_regex_delete" or "name_regex" or "name_regex_keep" or "keep_n" or "older_than").Select(f => $"{f.Key} {f.Value}")));
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary>The rules the call asks for, or GitLab's parameter error.</summary>
    internal static (TagCleanupRules? Rules, string? Problem) Rules(IReadOnlyDictionary<string, string> fields)
    {
        if (!fields.ContainsKey("name_regex_delete") && !fields.ContainsKey("name_regex"))
        {
            return (null, "name_regex, name_regex_delete are missing, at least one parameter must be provided");
        }

        var patterns = new Dictionary<string, TagNamePattern>(StringComparer.Ordinal);
        foreach (var name in new[] { "name_regex_delete", "name_regex", "name_regex_keep" })
        {
            var (pattern, problem) = TagNamePattern.Parse(fields.GetValueOrDefault(name));
            if (pattern is null)
            {
                return (null, $"{name} is an invalid regexp: {problem}");
            }

            patterns[name] = pattern;
        }

        int? keepN = null;
        if (fields.GetValueOrDefault("keep_n") is { Length: > 0 } keepText)
        {
            if (!int.TryParse(keepText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var keep))
            {
                return (null, "keep_n is invalid");
            }

            keepN = keep;
        }

        TimeSpan? olderThan = null;
        if (fields.GetValueOrDefault("older_than") is { Length: > 0 } olderText && (olderThan = CleanupDuration.Parse(olderText)) is null)
        {
            return (null, "older_than is invalid");
        }

        return (new TagCleanupRules
        {
            Delete = fields.ContainsKey("name_regex_delete") ? patterns["name_regex_delete"] : patterns["name_regex"],
            Keep = patterns["name_regex_keep"],
            KeepN = keepN,
            OlderThan = olderThan,
        }, null);
    }
}
