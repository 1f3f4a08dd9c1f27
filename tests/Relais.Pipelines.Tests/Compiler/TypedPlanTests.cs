using Relais.Pipelines.Plan;

namespace Relais.Pipelines.Tests.Compiler;

/// <summary>The plan carries no YAML: what the payload builder and <c>relais plan --json</c> read is typed, filled in by the compiler.</summary>
public sealed class TypedPlanTests
{
    [Fact]
    public void Image_and_service_executor_options_are_typed_and_a_numeric_kubernetes_user_stays_a_number()
    {
        var job = TestCompiler.PlanOf("""
            job:
              image: {name: alpine, docker: {platform: linux/arm64, user: app}, kubernetes: {user: 1000}}
              services:
                - {name: postgres, kubernetes: {user: "1000:1000"}}
                - {name: redis, docker: {platform: linux/amd64}}
                - memcached
              script: [x]
            """).Job("job");

        Assert.Equal(new DockerOptionsPlan("linux/arm64", "app"), job.Image!.Docker);
        Assert.Equal(new KubernetesOptionsPlan(Uid: 1000), job.Image.Kubernetes);
        Assert.Equal(new KubernetesOptionsPlan(User: "1000:1000"), job.Services[0].Kubernetes);
        Assert.Null(job.Services[0].Docker);
        Assert.Equal(new DockerOptionsPlan("linux/amd64"), job.Services[1].Docker);
        Assert.Null(job.Services[2].Docker);
        Assert.Null(job.Services[2].Kubernetes);
        Assert.True(job.Image.Ports.IsDefaultOrEmpty);
    }

    [Fact]
    public void Carried_keywords_and_the_trigger_are_their_written_value_as_compact_json()
    {
        var plan = TestCompiler.PlanOf("""
            steps:
              run: [{name: hello, script: echo hi}, {name: ref, step: "gitlab.com/x@v1", inputs: {n: 1, f: 1.5, b: yes, s: "<é>"}}]
              id_tokens: {TOKEN: {aud: "https://example.com"}}
            child:
              trigger: {include: [{local: child.yml}], strategy: depend}
            """);

        Assert.Equal(
            """[{"name":"hello","script":"echo hi"},{"name":"ref","step":"gitlab.com/x@v1","inputs":{"n":1,"f":1.5,"b":true,"s":"\u003C\u00E9\u003E"}}]""",
            plan.Job("steps").Extras["run"].Json);
        Assert.Equal("""{"TOKEN":{"aud":"https://example.com"}}""", plan.Job("steps").Extras["id_tokens"].Json);
        var trigger = plan.Job("child").Trigger!;
        Assert.Equal("""{"include":[{"local":"child.yml"}],"strategy":"depend"}""", trigger.Written.Json);
        Assert.Equal(["child.yml"], trigger.IncludeFiles.ToArray());
    }

    [Fact]
    public void Environment_kubernetes_is_typed()
    {
        var job = TestCompiler.PlanOf("""
            deploy:
              environment: {name: prod, kubernetes: {agent: "g/p:a", namespace: ns, flux_resource_path: f, managed_resources: {enabled: false}, dashboard: {namespace: d, flux_resource_path: g}}}
              script: [x]
            """).Job("deploy");

        Assert.Equal(new EnvironmentKubernetesPlan("g/p:a", "ns", "f", false, "d", "g"), job.Environment!.Kubernetes);
    }
}
