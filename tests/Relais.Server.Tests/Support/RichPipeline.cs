using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Relais.Engine;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Sources;
using Relais.Protocol;

namespace Relais.Server.Tests.Support;

/// <summary>A pipeline that uses every kind of job field, and a state whose attempts set every field of a job state.</summary>
public static class RichPipeline
{
    public const string Yaml = """
        stages: [build, deploy]
        variables: {GLOBAL: one, RAW: {value: "$X", expand: false, description: d}}
        workflow: {name: "rich $CI_COMMIT_REF_NAME", auto_cancel: {on_new_commit: interruptible, on_job_failure: all}}
        build:
          stage: build
          image: {name: "alpine:3", entrypoint: [""], pull_policy: [always], docker: {platform: linux/amd64, user: root}, kubernetes: {user: 1000}}
          services: [{name: "postgres:16", alias: db, entrypoint: [sh], command: [postgres], variables: {PG: x}, kubernetes: {user: "1000:1000"}}, redis]
          cache: [{key: {files: [Gemfile.lock], prefix: gems}, paths: [vendor/], policy: pull, when: always, untracked: true, fallback_keys: [main], unprotect: true}, {paths: [tmp/]}]
          artifacts: {name: out, paths: [out/], exclude: [out/tmp], untracked: true, when: always, expire_in: 1 week, expose_as: Out, reports: {dotenv: build.env, junit: [a.xml]}}
          retry: {max: 2, when: [script_failure], exit_codes: [137]}
          timeout: 10m
          tags: [docker]
          before_script: [setup]
          script: [make]
          after_script: [cleanup]
          hooks: {pre_get_sources_script: [hook]}
          coverage: '/\d+%/'
          interruptible: true
          allow_failure: {exit_codes: [3]}
          id_tokens: {TOKEN: {aud: "https://example.com"}}
          parallel: {matrix: [{ARCH: [amd64]}]}
        steps:
          stage: build
          run: [{name: hello, script: echo hi}, {name: ref, step: "gitlab.com/x@v1", inputs: {n: 1, f: 1.5, b: true, s: "1 <é>"}}]
        deploy:
          stage: deploy
          needs: [{job: "build: [amd64]", artifacts: false}, {job: steps, optional: true}]
          environment: {name: production, url: "https://example.com", action: start, on_stop: stop, auto_stop_in: 1 day, deployment_tier: production, kubernetes: {namespace: prod, agent: "a/b:c", flux_resource_path: f, managed_resources: {enabled: true}, dashboard: {namespace: d, flux_resource_path: g}}}
          resource_group: prod
          when: manual
          script: [deploy]
          release: {tag_name: v1, description: "d"}
        stop:
          stage: deploy
          environment: {name: production, action: stop}
          when: manual
          script: [stop]
        later:
          stage: deploy
          when: delayed
          start_in: 5 minutes
          dependencies: []
          needs: []
          variables: {LATE: "1"}
          script: [x]
        child:
          stage: deploy
          trigger: {include: child.yml, strategy: depend, forward: {yaml_variables: true}}
        """;

    private static readonly JsonSerializerOptions DescribeOptions = new() { Converters = { new JsonStringEnumConverter(), new DefaultAsEmpty() } };

    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static PipelinePlan Plan()
    {
        var result = PipelineCompiler.Compile(new CompileRequest(InMemoryConfigSource.Single(Yaml), new PipelineContext { Ref = "main" }));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Plan!;
    }

    /// <summary>The engine's first state of <see cref="Plan"/>, with its first attempt replaced by two that set every field.</summary>
    public static PipelineState State(long id)
    {
        var state = PipelineEngine.Create(Plan(), id, T0).State;
        var first = state.Jobs[0];
        JobState[] attempts =
        [
            first with
            {
                Status = CiStatus.Failed, Retried = true, AllowFailure = true, QueuedAt = T0.AddSeconds(1), StartedAt = T0.AddSeconds(2),
                FinishedAt = T0.AddSeconds(3), DeadlineAt = T0.AddHours(1), FailureReason = "script_failure", ExitCode = 3,
            },
            first with
            {
                Attempt = 2, Status = CiStatus.WaitingForResource, CreatedAt = T0.AddSeconds(3), ScheduledAt = T0.AddMinutes(5),
                EnqueueImmediately = true, AutoCanceledBy = 42,
            },
        ];
        return state with
        {
            Status = CiStatus.Canceled,
            UpdatedAt = T0.AddSeconds(4),
            StartedAt = T0.AddSeconds(2),
            FinishedAt = T0.AddSeconds(4),
            AutoCanceledBy = 42,
            Jobs = [.. attempts, .. state.Jobs.Skip(1)],
        };
    }

    /// <summary>Every public property of a plan, as JSON (by reflection, a default list written as an empty one): two plans
    /// with the same description hold the same values.</summary>
    public static string Describe(PipelinePlan plan) => JsonSerializer.Serialize(plan, DescribeOptions);

    private sealed class DefaultAsEmpty : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) =>
            typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ImmutableArray<>);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Typed<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

        private sealed class Typed<T> : JsonConverter<ImmutableArray<T>>
        {
            public override ImmutableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                throw new NotSupportedException();

            public override void Write(Utf8JsonWriter writer, ImmutableArray<T> value, JsonSerializerOptions options) =>
                JsonSerializer.Serialize(writer, value.IsDefault ? [] : value.ToArray(), options);
        }
    }
}
