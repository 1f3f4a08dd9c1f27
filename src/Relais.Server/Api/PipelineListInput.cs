using System.Globalization;
using Microsoft.AspNetCore.Http;
using Relais.Git;
using Relais.Protocol;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Reads <c>GET /projects/:id/pipelines</c>'s query into a <see cref="PipelineFilter"/>, validating as GitLab's API does:
/// a value outside a parameter's list is "<c>NAME does not have a valid value</c>", one of the wrong type (a date, a
/// boolean) "<c>NAME is invalid</c>", all of them in one <c>{"error": "…"}</c> with 400.
/// </summary>
internal static class PipelineListInput
{
    private static readonly string[] Scopes = ["running", "pending", "finished", "branches", "tags"];

    /// <summary>GitLab's pipeline statuses (<c>Ci::HasStatus::AVAILABLE_STATUSES</c>).</summary>
    private static readonly string[] Statuses =
        ["created", "waiting_for_resource", "preparing", "waiting_for_callback", "pending", "running", "success", "failed", "canceling", "canceled", "skipped", "manual", "scheduled"];

    /// <summary>GitLab's pipeline sources (<c>Ci::Pipeline.sources</c>); Relais makes only some of them, the others match nothing.</summary>
    private static readonly string[] Sources =
    [
        "unknown", "push", "web", "trigger", "schedule", "api", "external", "pipeline", "chat", "webide", "merge_request_event",
        "external_pull_request_event", "parent_pipeline", "ondemand_dast_scan", "ondemand_dast_validation", "security_orchestration_policy",
        "container_registry_push", "duo_workflow", "pipeline_execution_policy_schedule",
    ];

    private static readonly string[] Finished = ["success", "failed", "canceled", "skipped"];

    /// <summary>The filter, or the 400 answer. <paramref name="refs"/> lists a project's branches or tags (for the <c>branches</c> and <c>tags</c> scopes); <paramref name="userIdOf"/> finds a username's id.</summary>
    public static async Task<(PipelineFilter? Filter, IResult? Invalid)> ReadAsync(
        IQueryCollection q, Paging paging, Func<string, Task<IReadOnlyList<string>>> refs, Func<string, Task<long?>> userIdOf)
    {
        var errors = new List<string>();
        var scope = OneOf(q, "scope", Scopes, errors);
        var status = OneOf(q, "status", Statuses, errors);
        var yamlErrors = Bool(q, "yaml_errors", errors);
        var updatedBefore = Time(q, "updated_before", errors);
        var updatedAfter = Time(q, "updated_after", errors);
        var createdBefore = Time(q, "created_before", errors);
        var createdAfter = Time(q, "created_after", errors);
        var orderBy = OneOf(q, "order_by", PipelineListSql.OrderColumns, errors) ?? "id";
        var sort = OneOf(q, "sort", ["asc", "desc"], errors) ?? "desc";
        var source = OneOf(q, "source", Sources, errors);
        if (errors.Count > 0)
        {
            return (null, ApiJson.Ok(new Dictionary<string, string> { ["error"] = string.Join(", ", errors) }, StatusCodes.Status400BadRequest));
        }

        var filter = new PipelineFilter(paging.Offset, paging.PerPage)
        {
            Ref = Text(q, "ref"),
            Sha = Text(q, "sha"),
            Source = source,
            Name = Text(q, "name"),
            YamlErrors = yamlErrors,
            UpdatedAfter = updatedAfter,
            UpdatedBefore = updatedBefore,
            CreatedAfter = createdAfter,
            CreatedBefore = createdBefore,
            OrderBy = orderBy,
            Ascending = sort == "asc",
            UserId = Text(q, "username") is { } username ? await userIdOf(username) ?? PipelineFilter.NoUser : null,
        };
        filter = scope switch
        {
            "running" => filter with { Statuses = [CiStatus.Running] },
            "pending" => filter with { Statuses = [CiStatus.Pending] },
            "finished" => filter with { Statuses = [.. Finished.Select(CiStatusNames.FromStored)] },
            "branches" => filter with { LatestOfRefs = await refs(RepositoryRefs.Branches), LatestOfTags = false },
            "tags" => filter with { LatestOfRefs = await refs(RepositoryRefs.Tags), LatestOfTags = true },
            _ => filter,
        };
        if (status is not null)
        {
            // status and scope both apply (GitLab chains them): only the statuses both allow; a status GitLab has and
            // Relais never gives (waiting_for_callback) matches nothing.
            var known = CiStatusNames.TryParse(status, out var s);
            filter = filter with
            {
                Statuses = known ? [s] : [],
                MatchesNothing = !known || (filter.Statuses.Count > 0 && !filter.Statuses.Contains(s)),
            };
        }

        return (filter, null);
    }

    private static string? Text(IQueryCollection q, string name) => q[name].ToString() is { Length: > 0 } v ? v : null;

    private static string? OneOf(IQueryCollection q, string name, IReadOnlyList<string> values, List<string> errors)
    {
        if (Text(q, name) is not { } value)
        {
            return null;
        }

        if (values.Contains(value))
        {
            return value;
        }

        errors.Add($"{name} does not have a valid value");
        return null;
    }

    private static bool? Bool(IQueryCollection q, string name, List<string> errors)
    {
        if (Text(q, name) is not { } value)
        {
            return null;
        }

        switch (value.ToUpperInvariant())
        {
            case "TRUE" or "T" or "1" or "YES" or "Y" or "ON":
                return true;
            case "FALSE" or "F" or "0" or "NO" or "N" or "OFF":
                return false;
            default:
                errors.Add($"{name} is invalid");
                return null;
        }
    }

    private static DateTimeOffset? Time(IQueryCollection q, string name, List<string> errors)
    {
        if (Text(q, name) is not { } value)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at.ToUniversalTime();
        }

        errors.Add($"{name} is invalid");
        return null;
    }
}
