using System.Diagnostics;
using System.Text.Json;

namespace Relais.EndToEnd;

/// <summary>
/// Issue #14's acceptance, as a team's everyday automation does it: a python-gitlab **library** script (unchanged from
/// what it runs against GitLab) and the same core calls from gitbeaker (<c>@gitbeaker/rest</c> on Node), against a real
/// <c>relais serve</c> whose embedded runner runs the jobs. It lists every pipeline and job across pages, starts a
/// pipeline with variables and reads them back from the job's artifact, triggers one with a trigger token, sees the
/// one a job triggered with <c>$CI_JOB_TOKEN</c>, creates a schedule and plays it, downloads a branch's latest
/// artifacts by job name, and receives the pipeline webhook on its own local listener.
/// </summary>
public sealed class EverydayAutomationTests : IDisposable
{
    /// <summary>
    /// build writes what it saw into an artifact; relay (push pipelines only) triggers a pipeline of its own project
    /// with its job token, as a multi-project trigger from a job would.
    /// </summary>
    private const string Pipeline = """
        stages: [build, relay]
        build:
          stage: build
          script:
            - mkdir -p out && echo "greeting=${GREETING:-none} source=$CI_PIPELINE_SOURCE user=$GITLAB_USER_LOGIN" > out/result.txt
          artifacts: { paths: [out/] }
        relay:
          stage: relay
          rules: [{ if: $CI_PIPELINE_SOURCE == "push" }]
          script:
            - >-
              curl -sSf -X POST --form "token=$CI_JOB_TOKEN" --form ref=main --form "variables[GREETING]=from-a-job"
              "$CI_API_V4_URL/projects/$CI_PROJECT_ID/trigger/pipeline"
        """;

    private const string Script = """
        import io, json, sys, threading, time, zipfile, gitlab
        from http.server import BaseHTTPRequestHandler, HTTPServer
        url, token = sys.argv[1:3]
        gl = gitlab.Gitlab(url, private_token=token)
        received = []

        class Listener(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append({"event": self.headers["X-Gitlab-Event"], "token": self.headers["X-Gitlab-Token"], "body": json.loads(body)})
                self.send_response(200)
                self.end_headers()
            def log_message(self, *args):
                pass

        listener = HTTPServer(("127.0.0.1", 0), Listener)
        threading.Thread(target=listener.serve_forever, daemon=True).start()
        project = gl.projects.get("root/demo")
        project.hooks.create({"url": "http://127.0.0.1:%d/hook" % listener.server_port, "token": "hook-secret", "pipeline_events": True})

        def finished(pipeline_id):
            for _ in range(600):
                pipeline = project.pipelines.get(pipeline_id)
                if pipeline.status in ("success", "failed", "canceled", "skipped"):
                    return pipeline
                time.sleep(0.2)
            raise SystemExit("pipeline %d is still %s" % (pipeline_id, pipeline.status))

        def result(pipeline):
            build = [j for j in pipeline.jobs.list(get_all=True) if j.name == "build"][0]
            archive = zipfile.ZipFile(io.BytesIO(project.jobs.get(build.id).artifacts()))
            return archive.read("out/result.txt").decode().strip()

        started = project.pipelines.create({"ref": "main", "variables": [{"key": "GREETING", "value": "hello"}]})
        trigger = project.triggers.create({"description": "deploy bot"})
        triggered = project.trigger_pipeline("main", trigger.token, variables={"GREETING": "triggered"})
        schedule = project.pipelineschedules.create({"description": "nightly", "ref": "main", "cron": "0 1 * * *", "cron_timezone": "Europe/Berlin"})
        schedule_id = schedule.id
        schedule.play()  # python-gitlab 3.12 replaces the object's attributes with play's answer, against GitLab too
        for _ in range(600):
            scheduled = [p for p in project.pipelines.list(get_all=True, source="schedule")]
            by_job = [p for p in project.pipelines.list(get_all=True, source="pipeline")]
            if scheduled and by_job:
                break
            time.sleep(0.2)
        else:
            raise SystemExit("no scheduled or job-triggered pipeline")
        outcomes = {
            "api": result(finished(started.id)),
            "trigger": result(finished(triggered.id)),
            "schedule": result(finished(scheduled[0].id)),
            "job_token": result(finished(by_job[0].id)),
        }
        for _ in range(100):
            if any(r["body"]["object_attributes"]["id"] == started.id and r["body"]["object_attributes"]["status"] == "success" for r in received):
                break
            time.sleep(0.2)
        latest = zipfile.ZipFile(io.BytesIO(project.artifacts.download(ref_name="main", job="build"))).read("out/result.txt").decode().strip()
        print(json.dumps({
            "outcomes": outcomes,
            "pipelines": len(project.pipelines.list(get_all=True, per_page=1)),
            "jobs": len(project.jobs.list(get_all=True, per_page=1)),
            "sources": sorted(set(p.source for p in project.pipelines.list(get_all=True))),
            "latest": latest,
            "hooks": sorted(set((r["event"], r["token"]) for r in received)),
            "schedule_next_run": project.pipelineschedules.get(schedule_id).next_run_at,
        }))
        """;

    /// <summary>The same core calls through gitbeaker 43 (<c>@gitbeaker/rest</c>), as a Node user's script makes them.</summary>
    private const string GitBeakerScript = """
        import http from 'node:http';
        import { Gitlab } from '@gitbeaker/rest';
        const [url, token] = process.argv.slice(1); // node -e: the arguments follow the program
        const api = new Gitlab({ host: url, token });
        const received = [];
        const listener = http.createServer((req, res) => {
          let body = '';
          req.on('data', (chunk) => { body += chunk; });
          req.on('end', () => { received.push({ event: req.headers['x-gitlab-event'], token: req.headers['x-gitlab-token'], body: JSON.parse(body) }); res.end(); });
        });
        await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
        const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
        const project = await api.Projects.show('root/demo');
        await api.ProjectHooks.add(project.id, `http://127.0.0.1:${listener.address().port}/hook`, { token: 'hook-secret', pipelineEvents: true, pushEvents: false });
        async function finished(id) {
          for (let i = 0; i < 600; i++) {
            const pipeline = await api.Pipelines.show(project.id, id);
            if (['success', 'failed', 'canceled', 'skipped'].includes(pipeline.status)) return pipeline;
            await sleep(200);
          }
          throw new Error(`pipeline ${id} did not finish`);
        }
        const started = await api.Pipelines.create(project.id, 'main', { variables: [{ key: 'GREETING', value: 'from-gitbeaker' }] });
        const trigger = await api.PipelineTriggerTokens.create(project.id, 'deploy bot');
        const triggered = await api.PipelineTriggerTokens.trigger(project.id, 'main', trigger.token, { variables: { GREETING: 'triggered' } });
        const schedule = await api.PipelineSchedules.create(project.id, 'nightly', 'main', '0 1 * * *', { cronTimezone: 'Europe/Berlin' });
        await api.PipelineSchedules.run(project.id, schedule.id);
        const statuses = {
          api: (await finished(started.id)).status,
          trigger: (await finished(triggered.id)).status,
        };
        let scheduled = [];
        for (let i = 0; i < 600 && scheduled.length === 0; i++) {
          scheduled = await api.Pipelines.all(project.id, { source: 'schedule' });
          if (scheduled.length === 0) await sleep(200);
        }
        statuses.schedule = (await finished(scheduled[0].id)).status;
        for (let i = 0; i < 100 && !received.some((r) => r.body.object_attributes.id === started.id && r.body.object_attributes.status === 'success'); i++) await sleep(200);
        const pipelines = await api.Pipelines.all(project.id, { perPage: 1, maxPages: 1000 });
        const jobs = await api.Jobs.all(project.id, { perPage: 1, maxPages: 1000 });
        const build = jobs.find((j) => j.pipeline.id === started.id && j.name === 'build');
        const log = await api.Jobs.showLog(project.id, build.id);
        const archive = await api.JobArtifacts.downloadArchive(project.id, { ref: 'main', job: 'build' });
        listener.close();
        console.log(JSON.stringify({
          statuses,
          pipelines: pipelines.length,
          jobs: jobs.length,
          log_ok: log.includes('Job succeeded'),
          archive_bytes: (await archive.arrayBuffer()).byteLength,
          hooks: [...new Set(received.map((r) => `${r.event}|${r.token}`))],
          me: (await api.Users.showCurrentUser()).username,
        }));
        """;

    private readonly ProcessWorkspace _workspace = new("everyday");

    [PythonGitLabFact]
    public async Task A_python_gitlab_script_of_everyday_automation_works_unchanged()
    {
        var (url, port, rootToken, server) = await StartServerAsync();
        PushNewRepository(port, rootToken);

        var answer = await RunAsync(server, PythonGitLab.Interpreter!, ["-c", Script, url, rootToken]);

        var outcomes = answer.GetProperty("outcomes");
        Assert.Equal("greeting=hello source=api user=root", outcomes.GetProperty("api").GetString());
        Assert.Equal("greeting=triggered source=trigger user=root", outcomes.GetProperty("trigger").GetString());
        Assert.Equal("greeting=none source=schedule user=root", outcomes.GetProperty("schedule").GetString());
        Assert.Equal("greeting=from-a-job source=pipeline user=root", outcomes.GetProperty("job_token").GetString());
        Assert.Equal(5, answer.GetProperty("pipelines").GetInt32()); // push, api, trigger, schedule, job token
        Assert.Equal(6, answer.GetProperty("jobs").GetInt32()); // build in each, relay in the push pipeline
        Assert.Equal("""["api","pipeline","push","schedule","trigger"]""", answer.GetProperty("sources").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        Assert.StartsWith("greeting=", answer.GetProperty("latest").GetString(), StringComparison.Ordinal);
        Assert.Contains(answer.GetProperty("hooks").EnumerateArray(), h => h[0].GetString() == "Pipeline Hook" && h[1].GetString() == "hook-secret");
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("schedule_next_run").GetString()));
    }

    [GitBeakerFact]
    public async Task The_same_core_calls_work_from_gitbeaker()
    {
        var (url, port, rootToken, server) = await StartServerAsync();
        PushNewRepository(port, rootToken);

        var answer = await RunAsync(server, GitBeaker.Node!, ["--input-type=module", "-e", GitBeakerScript, url, rootToken], GitBeaker.Folder);

        Assert.Equal("""{"api":"success","trigger":"success","schedule":"success"}""", answer.GetProperty("statuses").GetRawText());
        Assert.Equal(5, answer.GetProperty("pipelines").GetInt32()); // push, job token, api, trigger, schedule: every page read
        Assert.Equal(6, answer.GetProperty("jobs").GetInt32());
        Assert.True(answer.GetProperty("log_ok").GetBoolean());
        Assert.True(answer.GetProperty("archive_bytes").GetInt32() > 0);
        Assert.Contains("Pipeline Hook|hook-secret", answer.GetProperty("hooks").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal("root", answer.GetProperty("me").GetString());
    }

    private async Task<(string Url, int Port, string RootToken, RelaisProcess Server)> StartServerAsync()
    {
        var port = FreePorts.Next();
        var url = $"http://127.0.0.1:{port}";
        var rootToken = "glpat-" + Guid.NewGuid().ToString("N")[..20];
        var server = _workspace.Start(new RelaisProcess(_workspace.Root, new Dictionary<string, string> { ["RELAIS_ROOT_TOKEN"] = rootToken },
            ["serve", "--data", Path.Combine(_workspace.Root, "data"), "--urls", url, "--ssh-port", "0", "--allow-local-webhooks"]));
        await RelaisProcess.WaitForPortAsync(port, server, TimeSpan.FromSeconds(60));
        return (url, port, rootToken, server);
    }

    private void PushNewRepository(int port, string rootToken)
    {
        var repo = Path.Combine(_workspace.Root, "repo");
        Directory.CreateDirectory(repo);
        File.WriteAllText(Path.Combine(repo, ".gitlab-ci.yml"), Pipeline);
        GitCli.Run(repo, "init", "-q", "-b", "main");
        GitCli.Run(repo, "add", "-A");
        GitCli.Run(repo, "-c", "user.email=e2e@relais.local", "-c", "user.name=E2E", "commit", "-q", "-m", "pipeline");
        GitCli.Run(repo, "push", "-q", $"http://root:{rootToken}@127.0.0.1:{port}/root/demo.git", "main");
    }

    /// <summary>Runs a client script to its end (at most four minutes) and reads the JSON its last line prints.</summary>
    private static async Task<JsonElement> RunAsync(RelaisProcess server, string program, IEnumerable<string> args, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(program)} script exited {process.ExitCode}:\n{await stderr}{await stdout}\nserver:\n{server.Output}");
        return JsonDocument.Parse((await stdout).Trim().Split('\n')[^1]).RootElement.Clone();
    }

    public void Dispose() => _workspace.Dispose();
}
