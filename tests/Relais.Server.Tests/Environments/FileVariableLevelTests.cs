using Relais.Server.Tests.Api;
using Relais.Server.Tests.Roles;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Environments;

/// <summary>
/// File-type variables at every level a user sets them through python-gitlab (instance, group, project with an
/// environment scope, pipeline schedule) reach the jobs as file variables, scoped ones only the jobs of a matching
/// environment (<c>review/*</c>).
/// </summary>
public sealed class FileVariableLevelTests
{
    private const string Yaml = """
        build: {script: [echo]}
        review: {script: [echo], environment: {name: review/feature-1}}
        """;

    [PythonGitLabFact]
    public async Task File_variables_from_the_instance_group_project_and_schedule_reach_jobs_as_files_and_scopes_hold()
    {
        await using var team = await Team.StartAsync();
        var project = await team.ProjectAsync("app", team.GroupId, yaml: Yaml);
        await team.Api.Server.Host.Stores.Projects.SetProjectTrustedAsync(project, true);
        var runner = (await team.Api.Server.RegisterRunnerAsync()).Token;

        var schedule = await PythonGitLab.RunAsync(team.Api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            gl.variables.create({"key": "INSTANCE_FILE", "value": "instance content", "variable_type": "file"})
            gl.groups.get({{team.GroupId}}).variables.create({"key": "GROUP_FILE", "value": "group content", "variable_type": "file"})
            p = gl.projects.get({{project}})
            p.variables.create({"key": "SSH_PRIVATE_KEY", "value": "review key", "variable_type": "file", "environment_scope": "review/*"})
            s = p.pipelineschedules.create({"ref": "main", "description": "nightly", "cron": "0 1 * * *"})
            s.variables.create({"key": "SCHEDULE_FILE", "value": "schedule content", "variable_type": "file"})
            got = p.variables.get("SSH_PRIVATE_KEY", filter={"environment_scope": "review/*"})
            s.play()
            print(json.dumps([got.variable_type, got.environment_scope]))
            """);
        Assert.Equal(["file", "review/*"], schedule.EnumerateArray().Select(e => e.GetString()));

        var jobs = new Dictionary<string, Relais.Protocol.Jobs.JobResponse>(StringComparer.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            var job = await WaitForJobAsync(team.Api.Server, runner);
            jobs[job.JobInfo.Name] = job;
        }

        foreach (var job in jobs.Values)
        {
            foreach (var (key, content) in new[] { ("INSTANCE_FILE", "instance content"), ("GROUP_FILE", "group content"), ("SCHEDULE_FILE", "schedule content") })
            {
                var variable = job.Variables.Last(v => v.Key == key);
                Assert.True(variable.File, key);
                Assert.Equal(content, variable.Value);
            }
        }

        var sshKey = jobs["review"].Variables.Last(v => v.Key == "SSH_PRIVATE_KEY");
        Assert.True(sshKey.File);
        Assert.Equal("review key", sshKey.Value);
        Assert.DoesNotContain(jobs["build"].Variables, v => v.Key == "SSH_PRIVATE_KEY");
    }

    private static async Task<Relais.Protocol.Jobs.JobResponse> WaitForJobAsync(TestServer server, string runner)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await server.RequestJobAsync(runner) is { } job)
            {
                return job;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("no job was given out");
    }
}
