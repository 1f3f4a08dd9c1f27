using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Sources;
using Relais.Server.Auth;
using Relais.Server.Git;
using Relais.Server.Storage;
using Relais.Server.Webhooks;

namespace Relais.Server.Api;

/// <summary>A job as the lint API lists it (<c>include_jobs</c>).</summary>
public sealed record LintJobView(
    string Name, string Stage, IReadOnlyList<string> BeforeScript, IReadOnlyList<string> Script, IReadOnlyList<string> AfterScript,
    IReadOnlyList<string> TagList, string? Environment, string When, bool AllowFailure, object? Only, object? Except, IReadOnlyList<string>? Needs);

/// <summary>The lint API's answer, in GitLab's shape, with Relais's own diagnostics (<c>file:line:column: message</c>).</summary>
public sealed record LintView(bool Valid, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, string? MergedYaml, IReadOnlyList<object> Includes, IReadOnlyList<LintJobView>? Jobs);

/// <summary>
/// GitLab's project CI lint: <c>POST /projects/:id/ci/lint</c> (<c>content</c>, <c>ref</c>, <c>dry_run</c>,
/// <c>include_jobs</c>; Developer, as creating a pipeline) lints the given content with the project's other files
/// at the ref (default branch) for its local includes; <c>GET /projects/:id/ci/lint</c> (<c>content_ref</c> or
/// <c>sha</c>, <c>dry_run_ref</c>, <c>include_jobs</c>; Reporter, as reading code) lints the project's own file at that
/// ref. Both compile with Relais's compiler, as for a pipeline of that ref; <c>merged_yaml</c> is the entry file as
/// written (the merged configuration is not re-serialised) and <c>includes</c> is empty.
/// </summary>
internal sealed class CiLintEndpoints(ApiGuard guard, IPipelineConfigSource configs)
{
    private const string Route = "/api/v4/projects/{id}/ci/lint";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Developer, async (_, p) =>
        {
            var f = await ApiParams.ReadAsync(http.Request);
            if (f.GetValueOrDefault("content") is not { } content)
            {
                return ApiJson.BadRequest("content is missing");
            }

            var gitRef = f.GetValueOrDefault("ref") is { Length: > 0 } r ? r : p.DefaultBranch;
            return await LintAsync(p, gitRef, content, ApiParams.Bool(f, "include_jobs") ?? false, http.RequestAborted);
        })).DisableAntiforgery();
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Reporter, async (_, p) =>
        {
            var q = http.Request.Query;
            var gitRef = new[] { q["content_ref"].ToString(), q["sha"].ToString(), q["dry_run_ref"].ToString() }.FirstOrDefault(v => v.Length > 0) ?? p.DefaultBranch;
            var includeJobs = ApiParams.Bool(q.ToDictionary(k => k.Key, k => k.Value.ToString()), "include_jobs") ?? false;
            return await LintAsync(p, gitRef, null, includeJobs, http.RequestAborted);
        }));
    }

    private async Task<IResult> LintAsync(ProjectRecord project, string gitRef, string? content, bool includeJobs, CancellationToken cancel)
    {
        var input = await configs.ResolveAsync(project, gitRef, cancel);
        if (input is null && content is null)
        {
            return ApiJson.Ok(new LintView(false, [$"Please provide content of {".gitlab-ci.yml"}"], [], null, [], includeJobs ? [] : null));
        }

        var context = (input?.Context ?? new PipelineContext { Ref = gitRef }) with { ProjectId = project.Id, ProjectPath = project.Path, DefaultBranch = project.DefaultBranch };
        IConfigSource source = input?.Source ?? new InMemoryConfigSource(new Dictionary<string, string>());
        if (content is not null)
        {
            source = new OverlayConfigSource(context.ConfigPath, content, source);
        }

        await using (input?.Source as CommitFiles)
        {
            var result = await AsyncCompile.CompileAsync(new CompileRequest(source, context) { EntryFile = context.ConfigPath }, cancel);
            var errors = Messages(result.Diagnostics, Severity.Error);
            var jobs = includeJobs ? result.Plan?.Jobs.Select(Job).ToList() ?? [] : null;
            return ApiJson.Ok(new LintView(errors.Count == 0, errors, Messages(result.Diagnostics, Severity.Warning), errors.Count == 0 ? source.ReadFile(context.ConfigPath) : null, [], jobs));
        }
    }

    private static List<string> Messages(IReadOnlyList<Diagnostic> diagnostics, Severity severity) =>
        [.. diagnostics.Where(d => d.Severity == severity).Select(d => d.Location.IsNone ? d.Message : $"{d.Location}: {d.Message}")];

    private static LintJobView Job(JobPlan j) => new(
        j.Name, j.Stage, j.BeforeScript, j.Script, j.AfterScript, j.Tags, j.Environment?.Name, PipelineHookPayload.WhenName(j.When), j.AllowFailure,
        null, null, j.Needs?.Select(n => n.Job).ToList());
}
