using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Git;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>A commit status as GitLab shows it.</summary>
public sealed record CommitStatusView(
    long Id, string Sha, string Ref, string Status, string Name, string? TargetUrl, string? Description, string? CreatedAt, string? StartedAt,
    string? FinishedAt, bool AllowFailure, double? Coverage, long? PipelineId, UserView? Author);

/// <summary>
/// Commit statuses from outside systems, in GitLab's shapes: <c>POST /projects/:id/statuses/:sha</c> (<c>state</c>,
/// <c>ref</c>, <c>name</c> or <c>context</c>, default <c>default</c>; <c>target_url</c>, <c>description</c>,
/// <c>coverage</c>, <c>pipeline_id</c>; Developer) moves a status by <see cref="CommitStatusRules"/>, and <c>GET
/// /projects/:id/repository/commits/:sha/statuses</c> (<c>ref</c>, <c>stage</c>, <c>name</c>, <c>all</c>; Reporter)
/// lists the latest of each name, or all. A status is attached to the commit's newest pipeline (of that ref when given,
/// or <c>pipeline_id</c>) and shown there under the stage <c>external</c>; unlike GitLab, a commit without a pipeline
/// gets none made for it: its statuses stand alone and make the commit's status (<see cref="CommitPipelineStatus"/>).
/// </summary>
internal sealed class CommitStatusEndpoints(ApiGuard guard, ProjectRepository repository, IPipelineStore pipelines, ICommitStatusStore store, IIdentityStore identity, string externalUrl, TimeProvider time)
{
    /// <summary>The stage GitLab shows outside statuses in.</summary>
    public const string Stage = "external";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v4/projects/{id}/statuses/{sha}", (HttpContext http, string id, string sha) =>
            guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => PostAsync(http, c, p, sha))).DisableAntiforgery();
        app.MapGet("/api/v4/projects/{id}/repository/commits/{sha}/statuses", (HttpContext http, string id, string sha) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => ListAsync(http, p, ProjectRepository.RouteName(sha))));
    }

    private async Task<IResult> ListAsync(HttpContext http, ProjectRecord project, string revision)
    {
        var git = repository.Open(project);
        if (git is null || await git.ResolveCommitAsync(revision, http.RequestAborted) is not { } sha)
        {
            return ApiJson.NotFound("Commit");
        }

        var q = http.Request.Query.ToDictionary(k => k.Key, k => k.Value.ToString());
        IEnumerable<CommitStatusRecord> rows = await store.ListForShaAsync(project.Id, sha, http.RequestAborted);
        if (ApiParams.Bool(q, "all") != true)
        {
            rows = CommitPipelineStatus.Latest(rows);
        }

        var wanted = (Ref: q.GetValueOrDefault("ref"), Stage: q.GetValueOrDefault("stage"), Name: q.GetValueOrDefault("name"));
        var list = rows
            .Where(s => wanted.Ref is not { Length: > 0 } || s.Ref == wanted.Ref)
            .Where(s => wanted.Stage is not { Length: > 0 } || wanted.Stage == Stage)
            .Where(s => wanted.Name is not { Length: > 0 } || s.Name == wanted.Name)
            .ToList();
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, list.Count);
        var views = new List<CommitStatusView>();
        foreach (var s in list.Skip(paging.Offset).Take(paging.PerPage))
        {
            views.Add(await ViewAsync(s, http.RequestAborted));
        }

        return ApiJson.Ok(views);
    }

    private async Task<IResult> PostAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string given)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var git = repository.Open(project);
        if (git is null || await git.ResolveCommitAsync(ProjectRepository.RouteName(given), CancellationToken.None) is not { } sha)
        {
            return ApiJson.NotFound("Commit");
        }

        if (f.GetValueOrDefault("state") is not { Length: > 0 } state)
        {
            return ApiJson.BadRequest("state is missing");
        }

        if (!CommitStatusRules.States.Contains(state))
        {
            return ApiJson.BadRequest("state does not have a valid value");
        }

        if (Optional(f) is (_, { } invalid))
        {
            return invalid;
        }

        var (targetUrl, description, coverage) = Optional(f).Fields;
        var refName = f.GetValueOrDefault("ref") is { Length: > 0 } r ? r : null;
        var (pipeline, missing) = await PipelineAsync(project, sha, refName, f.GetValueOrDefault("pipeline_id"));
        if (missing is not null)
        {
            return missing;
        }

        refName ??= pipeline?.Ref ?? (await git.BranchesContainingAsync(sha, CancellationToken.None) is [var branch, ..] ? branch : null);
        if (refName is null)
        {
            return ApiJson.NotFound("References for commit");
        }

        var name = f.GetValueOrDefault("name") is { Length: > 0 } n ? n : f.GetValueOrDefault("context") is { Length: > 0 } ctx ? ctx : "default";
        var existing = (await store.ListForShaAsync(project.Id, sha, CancellationToken.None))
            .LastOrDefault(s => s.Ref == refName && s.Name == name && s.PipelineId == pipeline?.Id && s.AuthorId == caller.User!.Id && s.IsActive);
        var current = existing?.Status ?? "created";
        var (next, problem) = CommitStatusRules.Move(current, state);
        if (next is null)
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, problem!);
        }

        var now = ApiJson.Time(time.GetUtcNow());
        var status = (existing ?? new CommitStatusRecord { ProjectId = project.Id, Sha = sha, Ref = refName, Name = name, PipelineId = pipeline?.Id, AuthorId = caller.User!.Id }) with
        {
            Status = next,
            TargetUrl = targetUrl ?? existing?.TargetUrl,
            Description = description ?? existing?.Description,
            Coverage = coverage ?? existing?.Coverage,
            StartedAt = existing?.StartedAt ?? (next == "running" ? now : null),
            FinishedAt = CommitStatusRules.IsFinished(next) ? now : null,
        };
        if (existing is null)
        {
            status = await store.AddAsync(status, time.GetUtcNow(), CancellationToken.None);
        }
        else if (!await store.UpdateAsync(status, current, CancellationToken.None))
        {
            return ApiJson.Error(StatusCodes.Status409Conflict, "409 Conflict - the status changed at the same time; try again");
        }

        return ApiJson.Ok(await ViewAsync(status, CancellationToken.None), StatusCodes.Status201Created);
    }

    /// <summary>The pipeline the status is shown in: <c>pipeline_id</c> (which must be the commit's, on the ref when given) or the commit's newest.</summary>
    private async Task<(PipelineRecord? Pipeline, IResult? Missing)> PipelineAsync(ProjectRecord project, string sha, string? refName, string? pipelineId)
    {
        if (pipelineId is { Length: > 0 })
        {
            var pipeline = long.TryParse(pipelineId, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? await pipelines.GetPipelineAsync(pid) : null;
            return pipeline is not null && pipeline.ProjectId == project.Id && pipeline.Sha == sha && (refName is null || pipeline.Ref == refName)
                ? (pipeline, null)
                : (null, ApiJson.NotFound("Pipeline for pipeline_id, sha and ref"));
        }

        var newest = await pipelines.ListPipelinesAsync(project.Id, new ListQuery([], 0, 1) { Sha = sha, Ref = refName });
        return (newest.Items is [var first, ..] ? first : null, null);
    }

    /// <summary><c>target_url</c> (an absolute http or https address), <c>description</c> (at most 255 characters) and <c>coverage</c>, each null when not given.</summary>
    private static ((string? TargetUrl, string? Description, double? Coverage) Fields, IResult? Invalid) Optional(IReadOnlyDictionary<string, string> f)
    {
        var url = f.GetValueOrDefault("target_url") is { Length: > 0 } u ? u : null;
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
        {
            return (default, ApiJson.Invalid("target_url", "is blocked: Only allowed schemes are http, https"));
        }

        var description = f.GetValueOrDefault("description");
        if (description is { Length: > 255 })
        {
            return (default, ApiJson.Invalid("description", "is too long (maximum is 255 characters)"));
        }

        double? coverage = null;
        if (f.GetValueOrDefault("coverage") is { Length: > 0 } c)
        {
            if (!double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                return (default, ApiJson.BadRequest("coverage is invalid"));
            }

            coverage = value;
        }

        return ((url, description, coverage), null);
    }

    private async Task<CommitStatusView> ViewAsync(CommitStatusRecord s, CancellationToken cancel)
    {
        var author = s.AuthorId is { } uid && await identity.GetUserAsync(uid, cancel) is { } user ? ApiViews.User(user, externalUrl) : null;
        return new CommitStatusView(
            s.Id, s.Sha, s.Ref, s.Status, s.Name, s.TargetUrl, s.Description, ApiJson.Time(s.CreatedAt), ApiJson.Time(s.StartedAt), ApiJson.Time(s.FinishedAt),
            false, s.Coverage, s.PipelineId, author);
    }
}
