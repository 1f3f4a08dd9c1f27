using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Git;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// The write side of the repository API, as GitLab's: <c>POST /projects/:id/repository/commits</c> (<c>branch</c>,
/// <c>commit_message</c>, <c>actions[]</c>, <c>start_branch</c>, <c>start_sha</c>, <c>author_name</c>,
/// <c>author_email</c>, <c>force</c>; 201 with the commit in full) and one file's <c>POST</c> (create, 201),
/// <c>PUT</c> (update, 200) and <c>DELETE</c> (204) on <c>/repository/files/:file_path</c>, all through
/// <see cref="CommitWriter"/>. Developer needed; a JSON body carries the actions.
/// </summary>
internal sealed class CommitWriteEndpoints(ApiGuard guard, CommitWriter writer, CommitDetailBuilder details)
{
    private const string Route = "/api/v4/projects/{id}/repository";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Route + "/commits", (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => CommitAsync(http, c, p)))
            .DisableAntiforgery();
        app.MapPost(Route + "/files/{filePath}", (HttpContext http, string id, string filePath) =>
            guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => FileAsync(http, c, p, filePath, FileActionKind.Create))).DisableAntiforgery();
        app.MapPut(Route + "/files/{filePath}", (HttpContext http, string id, string filePath) =>
            guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => FileAsync(http, c, p, filePath, FileActionKind.Update))).DisableAntiforgery();
        app.MapDelete(Route + "/files/{filePath}", (HttpContext http, string id, string filePath) =>
            guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => FileAsync(http, c, p, filePath, FileActionKind.Delete)));
    }

    private async Task<IResult> CommitAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var (fields, json) = await CommitInputReader.ReadBodyAsync(http.Request);
        if (json.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            return ApiJson.BadRequest(json.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "actions is missing" : "actions is invalid");
        }

        var actions = new List<FileAction>();
        foreach (var item in json.EnumerateArray())
        {
            var (action, problem) = CommitInputReader.Action(item);
            if (action is null)
            {
                return ApiJson.BadRequest(problem!);
            }

            actions.Add(action);
        }

        var (input, missing) = CommitInputReader.Commit(fields, actions);
        if (input is null)
        {
            return ApiJson.BadRequest(missing!);
        }

        var (sha, refused) = await writer.CommitAsync(http, caller, project, input);
        if (refused is not null)
        {
            return refused;
        }

        return await details.BuildAsync(project, sha!, CancellationToken.None) is { } view ? ApiJson.Ok(view, StatusCodes.Status201Created) : ApiJson.NotFound("Commit");
    }

    private async Task<IResult> FileAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string filePath, FileActionKind kind)
    {
        var (fields, _) = await CommitInputReader.ReadBodyAsync(http.Request);
        fields["file_path"] = filePath;
        if (kind != FileActionKind.Delete && !fields.ContainsKey("content"))
        {
            return ApiJson.BadRequest("content is missing");
        }

        var (action, problem) = CommitInputReader.File(kind, fields);
        if (action is null)
        {
            return ApiJson.BadRequest(problem!);
        }

        var (input, missing) = CommitInputReader.Commit(fields, [action]);
        if (input is null)
        {
            return ApiJson.BadRequest(missing!);
        }

        var (_, refused) = await writer.CommitAsync(http, caller, project, input);
        return refused
            ?? (kind == FileActionKind.Delete
                ? Results.NoContent()
                : ApiJson.Ok(new FileWrittenView(action.Path, input.Branch), kind == FileActionKind.Create ? StatusCodes.Status201Created : StatusCodes.Status200OK));
    }
}

/// <summary>What GitLab answers to a file created or updated: its path and the branch.</summary>
public sealed record FileWrittenView(string FilePath, string Branch);
