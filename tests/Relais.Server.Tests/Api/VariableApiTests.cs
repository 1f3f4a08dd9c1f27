using System.Net;

namespace Relais.Server.Tests.Api;

public sealed class VariableApiTests
{
    [Fact]
    public async Task Variables_are_created_read_updated_and_deleted_with_gitlab_rules()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", "job: {script: [echo]}");
        var (created, v, _) = await api.PostAsync($"projects/{project}/variables", """{"key":"API_KEY","value":"s3cr3t-value","masked":true,"protected":true}""");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("env_var", v.GetProperty("variable_type").GetString());
        Assert.True(v.GetProperty("masked").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"projects/{project}/variables", """{"key":"API_KEY","value":"other"}""")).Status);

        foreach (var bad in new[] { "short", "two\nlines-here", "has spaces in it", "pipe|chars!" })
        {
            var body = System.Text.Json.JsonSerializer.Serialize(new { key = "M", value = bad, masked = true });
            var (status, error, _) = await api.PostAsync($"projects/{project}/variables", body);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("masked", error.GetProperty("message").GetProperty("value")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"projects/{project}/variables", """{"key":"BAD-KEY","value":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"projects/{project}/variables", """{"key":"CONF","value":"a=1","variable_type":"file"}""")).Status);

        var (_, list, _) = await api.GetAsync($"projects/{project}/variables");
        Assert.Equal(new[] { "API_KEY", "CONF" }, list.EnumerateArray().Select(e => e.GetProperty("key").GetString()!).ToArray());
        var (put, updated, _) = await api.SendAsync(HttpMethod.Put, $"projects/{project}/variables/CONF", json: """{"value":"a=2"}""");
        Assert.Equal(HttpStatusCode.OK, put);
        Assert.Equal("a=2", updated.GetProperty("value").GetString());
        Assert.Equal("file", updated.GetProperty("variable_type").GetString());
        Assert.Equal("a=2", (await api.GetAsync($"projects/{project}/variables/CONF")).Json.GetProperty("value").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/variables/CONF")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{project}/variables/CONF")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Put, $"projects/{project}/variables/NOPE", json: """{"value":"x"}""")).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{project}/variables", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync($"projects/{project}/variables", token: null)).Status);
        await api.SendAsync(HttpMethod.Put, $"projects/{project}", json: """{"visibility":"public"}""");
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync($"projects/{project}/variables", ApiFixture.AliceToken)).Status);
    }

    [Fact]
    public async Task Variables_reach_jobs_and_protected_ones_only_on_the_protected_default_branch()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", "job: {script: [echo]}");
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        await api.PostAsync($"projects/{project}/variables", """{"key":"PLAIN","value":"everywhere"}""");
        await api.PostAsync($"projects/{project}/variables", """{"key":"DEPLOY_TOKEN","value":"tok3n-value","protected":true,"masked":true}""");
        await api.PostAsync($"projects/{project}/variables", """{"key":"KUBECONFIG","value":"apiVersion: v1","variable_type":"file"}""");

        await api.RunPipelineAsync(project, "main");
        var onMain = (await api.Server.RequestJobAsync(runner))!;
        Assert.Contains(onMain.Variables, v => v.Key == "PLAIN" && v.Value == "everywhere");
        Assert.Contains(onMain.Variables, v => v.Key == "DEPLOY_TOKEN" && v.Value == "tok3n-value" && v.Masked);
        Assert.Contains(onMain.Variables, v => v.Key == "KUBECONFIG" && v.File);
        Assert.Contains(onMain.Variables, v => v.Key == "CI_COMMIT_REF_PROTECTED" && v.Value == "true");

        await api.RunPipelineAsync(project, "feature");
        var onFeature = (await api.Server.RequestJobAsync(runner))!;
        Assert.Contains(onFeature.Variables, v => v.Key == "PLAIN");
        Assert.DoesNotContain(onFeature.Variables, v => v.Key == "DEPLOY_TOKEN");
        Assert.Contains(onFeature.Variables, v => v.Key == "CI_COMMIT_REF_PROTECTED" && v.Value == "false");
    }
}
