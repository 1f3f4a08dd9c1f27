using System.Text.Json;
using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Protocol.Requests;

namespace Relais.Runner.Tests.Protocol;

public class JobResponseJsonTests
{
    // The shape of the runner API's job payload (reference/runner-api.md §4), written for this test.
    private const string Payload = """
    {
      "id": 7, "token": "glcbt-abc", "allow_git_fetch": true,
      "job_info": { "id": 7, "name": "rspec 1/2", "stage": "test", "project_id": 3, "project_name": "app",
                    "pipeline_id": 11, "project_full_path": "grp/app", "namespace_id": 2, "root_namespace_id": 1,
                    "user_id": 5, "time_in_queue_seconds": 1.5, "unknown_field": "ignored" },
      "git_info": { "repo_url": "https://gitlab-ci-token:glcbt-abc@host/grp/app.git", "ref": "main",
                    "sha": "0123456789abcdef0123456789abcdef01234567", "before_sha": "0000000000000000000000000000000000000000",
                    "ref_type": "branch", "refspecs": ["+refs/pipelines/11:refs/pipelines/11", "+refs/heads/main:refs/remotes/origin/main"],
                    "depth": 20, "repo_object_format": "sha1", "protected": false },
      "runner_info": { "uuid": "u-1", "timeout": 3600, "runner_session_url": null },
      "variables": [ { "key": "CI_JOB_ID", "value": "7", "public": true, "masked": false },
                     { "key": "CI_JOB_TOKEN", "value": "glcbt-abc", "public": false, "masked": true },
                     { "key": "KUBECONFIG", "value": "apiVersion: v1", "public": false, "masked": false, "file": true },
                     { "key": "RAW", "value": "$NOT_EXPANDED", "public": false, "masked": false, "raw": true } ],
      "steps": [ { "name": "script", "script": ["bundle install", "rspec"], "timeout": 3600, "when": "on_success", "allow_failure": false },
                 { "name": "after_script", "script": ["echo done"], "timeout": 3600, "when": "always", "allow_failure": true } ],
      "hooks": [ { "name": "pre_get_sources_script", "script": ["echo pre"] } ],
      "image": { "name": "ruby:3.3", "entrypoint": ["/bin/sh"], "ports": [ {"number": 80, "protocol": "http", "name": "web"} ],
                 "executor_opts": { "docker": {"platform": "amd64", "user": "1000"}, "kubernetes": {"user": 1001} },
                 "pull_policy": ["always", "if-not-present"] },
      "services": [ { "name": "postgres:16", "alias": "db", "entrypoint": null, "command": ["postgres", "-c", "fsync=off"],
                      "ports": [], "variables": [ {"key": "POSTGRES_PASSWORD", "value": "x"} ], "executor_opts": {}, "pull_policy": null } ],
      "artifacts": [ { "name": "artifacts", "untracked": false, "paths": ["out/"], "exclude": ["out/tmp/**"],
                       "when": "on_success", "expire_in": "7d", "artifact_type": "archive", "artifact_format": "zip" },
                     { "name": "junit.xml", "paths": ["rspec.xml"], "when": "always", "expire_in": "7d",
                       "artifact_type": "junit", "artifact_format": "gzip" } ],
      "cache": [ { "key": "gems-non_protected", "untracked": false, "paths": ["vendor/"], "policy": "pull-push",
                   "when": "on_success", "fallback_keys": ["gems-main-non_protected"] } ],
      "credentials": [ { "type": "registry", "url": "registry.host:5050", "username": "gitlab-ci-token", "password": "glcbt-abc" } ],
      "features": { "trace_sections": true, "failure_reasons": ["script_failure"], "token_mask_prefixes": ["glpat-"] },
      "dependencies": [ { "id": 6, "name": "build", "token": "glcbt-dep", "artifacts_file": { "filename": "artifacts.zip", "size": 1024 } } ]
    }
    """;

    [Fact]
    public void Reads_every_field_of_the_job_payload()
    {
        var job = ProtocolJson.ReadJob(Payload);

        Assert.Equal(7, job.Id);
        Assert.Equal("glcbt-abc", job.Token);
        Assert.True(job.AllowGitFetch);
        Assert.Equal(("rspec 1/2", "test", 3L, "grp/app", 11L), (job.JobInfo.Name, job.JobInfo.Stage, job.JobInfo.ProjectId, job.JobInfo.ProjectFullPath, job.JobInfo.PipelineId!.Value));
        Assert.Equal(1.5, job.JobInfo.TimeInQueueSeconds);
        Assert.Equal("main", job.GitInfo.Ref);
        Assert.Equal("branch", job.GitInfo.RefType);
        Assert.Equal(2, job.GitInfo.Refspecs.Count);
        Assert.Equal(20, job.GitInfo.Depth);
        Assert.Equal("sha1", job.GitInfo.RepoObjectFormat);
        Assert.Equal(3600, job.RunnerInfo.Timeout);
        Assert.True(job.Variables[1].Masked);
        Assert.False(job.Variables[1].Public);
        Assert.True(job.Variables[2].File);
        Assert.True(job.Variables[3].Raw);
        Assert.Equal(["bundle install", "rspec"], job.Steps[0].Script);
        Assert.True(job.Steps[1].AllowFailure);
        Assert.Equal("pre_get_sources_script", job.Hooks[0].Name);
        Assert.Equal(["/bin/sh"], job.Image!.Entrypoint);
        Assert.Equal("amd64", job.Image.ExecutorOpts!.Docker!.Platform);
        Assert.Equal(JsonValueKind.Number, job.Image.ExecutorOpts.Kubernetes!.User!.Value.ValueKind);
        Assert.Equal(["always", "if-not-present"], job.Image.PullPolicy);
        Assert.Equal(80, job.Image.Ports[0].Number);
        Assert.Equal("db", job.Services[0].Alias);
        Assert.Null(job.Services[0].Entrypoint);
        Assert.Equal("POSTGRES_PASSWORD", job.Services[0].Variables[0].Key);
        Assert.Equal(["out/tmp/**"], job.Artifacts[0].Exclude);
        Assert.Equal(("junit", "gzip", "always"), (job.Artifacts[1].ArtifactType, job.Artifacts[1].ArtifactFormat, job.Artifacts[1].When));
        Assert.Equal("7d", job.Artifacts[0].ExpireIn);
        Assert.Equal(["gems-main-non_protected"], job.Cache[0].FallbackKeys);
        Assert.Equal("pull-push", job.Cache[0].Policy);
        Assert.Equal("registry.host:5050", job.Credentials[0].Url);
        Assert.Equal("artifacts.zip", job.Dependencies[0].ArtifactsFile!.Filename);
        Assert.Equal(1024, job.Dependencies[0].ArtifactsFile!.Size);
        Assert.True(job.Features.TraceSections);
        Assert.Equal(["glpat-"], job.Features.TokenMaskPrefixes);
    }

    [Fact]
    public void Missing_fields_take_defaults_like_gos_decoder()
    {
        var job = ProtocolJson.ReadJob("""{"id": 1}""");

        Assert.Empty(job.Variables);
        Assert.Empty(job.Steps);
        Assert.Null(job.Image);
        Assert.Equal("", job.GitInfo.RepoUrl);
    }

    [Fact]
    public void Round_trips_with_snake_case_names_and_leaves_false_file_and_raw_out()
    {
        var json = ProtocolJson.Write(ProtocolJson.ReadJob(Payload));

        Assert.Contains("\"allow_git_fetch\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"project_full_path\":\"grp/app\"", json, StringComparison.Ordinal);
        Assert.Contains("\"fallback_keys\":[\"gems-main-non_protected\"]", json, StringComparison.Ordinal);
        Assert.Contains("\"token_mask_prefixes\"", json, StringComparison.Ordinal);
        Assert.Contains("{\"key\":\"CI_JOB_ID\",\"value\":\"7\",\"public\":true,\"masked\":false}", json, StringComparison.Ordinal);
        Assert.Contains("\"file\":true", json, StringComparison.Ordinal);
        Assert.Equal(ProtocolJson.Write(ProtocolJson.ReadJob(json)), json);
    }

    [Fact]
    public void Job_update_leaves_out_what_gitlab_runner_leaves_out()
    {
        var update = new UpdateJobRequest
        {
            Token = "t", State = JobStates.Failed, FailureReason = FailureReasons.ScriptFailure, ExitCode = 2,
            Output = new JobOutput { Checksum = "crc32:0000abcd", Bytesize = 12 },
        };

        var json = ProtocolJson.Write(update);

        Assert.Equal("""{"token":"t","state":"failed","failure_reason":"script_failure","exit_code":2,"output":{"checksum":"crc32:0000abcd","bytesize":12}}""", json);
    }

    [Fact]
    public void Job_request_body_uses_the_runner_api_names()
    {
        var request = new JobRequest
        {
            Token = "glrt-x", SystemId = "s_1", LastUpdate = "42",
            Info = new RunnerDetails { Name = "relais", Executor = "shell", Features = new RunnerFeatures { ReturnExitCode = true, TwoPhaseJobCommit = true } },
        };

        var json = ProtocolJson.Write(request);

        Assert.Contains("\"system_id\":\"s_1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"last_update\":\"42\"", json, StringComparison.Ordinal);
        Assert.Contains("\"return_exit_code\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"two_phase_job_commit\":true", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("script_failure", "script_failure")]
    [InlineData("job_execution_timeout", "job_execution_timeout")]
    [InlineData("image_pull_failure", "runner_system_failure")]
    [InlineData("runner_external_dependency_failure", "runner_system_failure")]
    [InlineData("runner_configuration_error", "script_failure")]
    [InlineData("runner_interrupted", "unknown_failure")]
    public void Failure_reasons_fall_back_to_what_the_server_supports(string reason, string expected)
    {
        Assert.Equal(expected, FailureReasons.MapToSupported(reason, ["script_failure", "unknown_failure"]));
        Assert.Equal(FailureReasons.All.Contains(reason) ? reason : expected, FailureReasons.MapToSupported(reason, FailureReasons.All));
    }
}
