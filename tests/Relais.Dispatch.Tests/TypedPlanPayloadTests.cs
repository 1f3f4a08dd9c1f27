using System.Text.Json;
using Relais.Protocol;

namespace Relais.Dispatch.Tests;

/// <summary>The payload parts built from the plan's typed fields, in the shape GitLab sends them.</summary>
public sealed class TypedPlanPayloadTests
{
    [Fact]
    public void Executor_options_keep_a_numeric_kubernetes_user_a_number_and_a_textual_one_a_string()
    {
        var job = PayloadTestSupport.Payload("""
            job:
              image: {name: alpine, docker: {platform: linux/arm64, user: app}, kubernetes: {user: 1000}}
              services: [{name: postgres, kubernetes: {user: "1000:1000"}}, redis]
              script: [x]
            """, "job");
        using var json = JsonDocument.Parse(ProtocolJson.Write(job));
        var image = json.RootElement.GetProperty("image");
        var services = json.RootElement.GetProperty("services");

        Assert.Equal("""{"platform":"linux/arm64","user":"app"}""", image.GetProperty("executor_opts").GetProperty("docker").GetRawText());
        Assert.Equal("""{"user":1000}""", image.GetProperty("executor_opts").GetProperty("kubernetes").GetRawText());
        Assert.Equal("""{"user":"1000:1000"}""", services[0].GetProperty("executor_opts").GetProperty("kubernetes").GetRawText());
        Assert.Null(job.Services[1].ExecutorOpts.Docker);
        Assert.Null(job.Services[1].ExecutorOpts.Kubernetes);
        Assert.Empty(job.Image!.Ports);
    }

    [Fact]
    public void Run_steps_are_sent_as_the_json_string_of_what_was_written()
    {
        var job = PayloadTestSupport.Payload("""
            steps:
              run: [{name: hello, script: echo hi}, {name: ref, step: "gitlab.com/x@v1", inputs: {n: 1, b: yes, s: "<é>"}}]
            """, "steps");

        Assert.Equal("""[{"name":"hello","script":"echo hi"},{"name":"ref","step":"gitlab.com/x@v1","inputs":{"n":1,"b":true,"s":"\u003C\u00E9\u003E"}}]""", job.Run);
    }
}
