using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// The user who caused a pipeline is recorded (issue #14's base for job tokens, schedules and triggers): its jobs see
/// <c>GITLAB_USER_*</c>, and the CI/CD job token scope decides which other projects a job's token may reach.
/// </summary>
public sealed class PipelineUserTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_pipeline_run_through_the_API_records_its_user_and_its_jobs_see_GITLAB_USER(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var project = await api.ProjectWithConfigAsync("demo", "build: {script: [echo]}");
        var (_, runner) = await api.Server.RegisterRunnerAsync();

        var (_, created, _) = await api.PostAsync($"projects/{project}/pipeline", """{"ref": "main"}""");

        var job = (await api.Server.RequestJobAsync(runner))!;
        Assert.Contains(job.Variables, v => v.Key == "GITLAB_USER_LOGIN" && v.Value == "root");
        Assert.Contains(job.Variables, v => v.Key == "GITLAB_USER_ID" && v.Value == "1");
        var row = await api.Server.Host.Stores.Pipelines.GetPipelineAsync(created.GetProperty("id").GetInt64());
        Assert.Equal(1, row!.UserId);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task The_job_token_scope_admits_the_project_itself_its_allowlist_or_anyone_when_turned_off(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var projects = api.Server.Host.Stores.Projects;
        var (target, friend, stranger) = (
            await projects.EnsureProjectAsync("root/target", "main", DateTimeOffset.UtcNow),
            await projects.EnsureProjectAsync("root/friend", "main", DateTimeOffset.UtcNow),
            await projects.EnsureProjectAsync("root/stranger", "main", DateTimeOffset.UtcNow));
        var scopes = api.Server.Host.Stores.JobTokenScopes;

        Assert.True(await scopes.AddAllowedAsync(target.Id, friend.Id, DateTimeOffset.UtcNow));
        Assert.False(await scopes.AddAllowedAsync(target.Id, friend.Id, DateTimeOffset.UtcNow));

        Assert.True(await scopes.IsEnabledAsync(target.Id));
        Assert.True(await scopes.AllowsAsync(target.Id, target.Id));
        Assert.True(await scopes.AllowsAsync(target.Id, friend.Id));
        Assert.False(await scopes.AllowsAsync(target.Id, stranger.Id));
        Assert.Equal([friend.Id], await scopes.ListAllowedAsync(target.Id));

        await scopes.SetEnabledAsync(target.Id, false);
        Assert.True(await scopes.AllowsAsync(target.Id, stranger.Id));
        Assert.True(await scopes.RemoveAllowedAsync(target.Id, friend.Id));
        Assert.Empty(await scopes.ListAllowedAsync(target.Id));
    }
}
