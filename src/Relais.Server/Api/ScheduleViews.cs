using System.Text.Json.Serialization;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>A pipeline schedule in a list (<c>GET /projects/:id/pipeline_schedules</c>), as GitLab shows it.</summary>
public record ScheduleView(
    long Id, string Description, string Ref, string Cron, string CronTimezone, string? NextRunAt, bool Active, string? CreatedAt, string? UpdatedAt, UserView? Owner);

/// <summary>
/// One pipeline schedule (GitLab's <c>PipelineScheduleDetails</c>): the list fields, its last pipeline, and its variables
/// (only for its owner and Maintainers, as GitLab shows them).
/// </summary>
public sealed record ScheduleDetailView(
    long Id,
    string Description,
    string Ref,
    string Cron,
    string CronTimezone,
    string? NextRunAt,
    bool Active,
    string? CreatedAt,
    string? UpdatedAt,
    UserView? Owner,
    PipelineView? LastPipeline,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<VariableView>? Variables)
    : ScheduleView(Id, Description, Ref, Cron, CronTimezone, NextRunAt, Active, CreatedAt, UpdatedAt, Owner);

/// <summary>Builds the schedule objects from the stores (owners and last pipelines read per schedule).</summary>
internal sealed class ScheduleViews(IScheduleStore schedules, IIdentityStore identities, IPipelineStore pipelines, string externalUrl)
{
    public async Task<ScheduleView> ListedAsync(PipelineScheduleRecord s, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new ScheduleView(
            s.Id, s.Description, s.Ref, s.Cron, s.CronTimezone, ApiJson.Time(s.NextRunAt), s.Active, ApiJson.Time(s.CreatedAt), ApiJson.Time(s.UpdatedAt), await OwnerAsync(s, cancel));
    }

    public async Task<ScheduleDetailView> DetailAsync(PipelineScheduleRecord s, ProjectRecord project, bool withVariables, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(s);
        var runs = await schedules.ListScheduleRunsAsync(s.Id, cancel);
        var last = runs.Count == 0 ? null : await pipelines.GetPipelineAsync(runs[^1], cancel);
        var variables = withVariables ? (await schedules.ListScheduleVariablesAsync(s.Id, cancel)).Select(Variable).ToList() : null;
        return new ScheduleDetailView(
            s.Id, s.Description, s.Ref, s.Cron, s.CronTimezone, ApiJson.Time(s.NextRunAt), s.Active, ApiJson.Time(s.CreatedAt), ApiJson.Time(s.UpdatedAt),
            await OwnerAsync(s, cancel), last is null ? null : ApiViews.Pipeline(last, project, externalUrl), variables);
    }

    /// <summary>A schedule's variable in GitLab's <c>Ci::Variable</c> shape (never protected, masked or raw).</summary>
    public static VariableView Variable(ScheduleVariableRecord v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new VariableView(v.VariableType, v.Key, v.Value, false, false, false, "*", null);
    }

    private async Task<UserView?> OwnerAsync(PipelineScheduleRecord s, CancellationToken cancel) =>
        await identities.GetUserAsync(s.OwnerId, cancel) is { } owner ? ApiViews.User(owner, externalUrl) : null;
}
