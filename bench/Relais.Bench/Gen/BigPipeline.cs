using static Relais.Bench.Gen.YamlText;

namespace Relais.Bench.Gen;

/// <summary>A service of the generated monorepo; <paramref name="Gated"/> ones run on main only when their files change.</summary>
internal sealed record Component(string Name, Language Lang, bool Gated);

/// <summary>What the generator wrote: the file, its services, and how many jobs it holds before and after <c>parallel</c>.</summary>
internal sealed record BigPipelineResult(string Yaml, IReadOnlyList<Component> Components, int WrittenJobs, int ExpandedJobs);

/// <summary>
/// Generates a realistic monorepo <c>.gitlab-ci.yml</c> of a given size, deterministically from a seed.
/// Jobs are grouped by service; every service has a fixed skeleton (deps, build, unit, lint, image,
/// deploy-staging, deploy-prod, cleanup) plus extra test, lint, integration and e2e jobs. Inclusion is
/// kept consistent: a job only <c>needs</c> jobs that are in the pipeline whenever it is, or marks the
/// need <c>optional</c>, so the file is valid for GitLab, gitlab-ci-local and Relais alike.
/// </summary>
internal sealed partial class BigPipeline
{
    private const int JobsPerComponent = 25;
    private const int MaxMatrixBuilds = 4;
    private const int MaxMatrixE2e = 2;

    private static readonly string[] ServiceWords =
    [
        "api", "auth", "billing", "cart", "catalog", "checkout", "search", "notify", "gateway", "inventory",
        "ledger", "media", "orders", "payments", "pricing", "profile", "ratings", "reports", "scheduler", "shipping",
        "accounts", "audit", "chat", "config", "coupons", "export", "feeds", "geo", "import", "invoices",
        "loyalty", "mailer", "metrics", "onboarding", "partners", "quotas", "refunds", "sessions", "tax", "wishlist",
    ];

    private static readonly string[] SuiteWords =
        ["handlers", "models", "storage", "cache", "client", "events", "queue", "schema", "auth", "config", "http", "grpc"];

    private readonly Random _rng;
    private readonly int _jobCount;
    private readonly int _seed;
    private int _matrixBuilds;
    private int _matrixE2e;
    private int _expanded;

    private BigPipeline(int jobCount, int seed)
    {
        _jobCount = jobCount;
        _seed = seed;
        _rng = new Random(seed);
    }

    public static BigPipelineResult Generate(int jobCount, int seed)
    {
        if (jobCount < JobsPerComponent)
        {
            throw new ArgumentOutOfRangeException(nameof(jobCount), $"at least {JobsPerComponent} jobs");
        }

        return new BigPipeline(jobCount, seed).Run();
    }

    private BigPipelineResult Run()
    {
        var count = _jobCount / JobsPerComponent;
        var components = new List<Component>(count);
        for (var i = 0; i < count; i++)
        {
            var word = ServiceWords[i % ServiceWords.Length] + (i < ServiceWords.Length ? "" : "-" + N((i / ServiceWords.Length) + 1));
            var lang = BigPipelineHeader.Languages[_rng.Next(BigPipelineHeader.Languages.Length)];
            components.Add(new Component(word, lang, Gated: _rng.NextDouble() < 0.35));
        }

        var y = new YamlText();
        BigPipelineHeader.Write(y, _seed, _jobCount);
        var written = 0;
        for (var i = 0; i < count; i++)
        {
            var jobs = _jobCount / count + (i < _jobCount % count ? 1 : 0);
            written += WriteComponent(y, components[i], jobs, components);
        }

        return new BigPipelineResult(y.ToString(), components, written, written + _expanded);
    }

    private sealed record Job(string Name, string Kind, int Stage)
    {
        public bool Needable { get; set; } = true;
    }

    private int WriteComponent(YamlText y, Component c, int jobCount, List<Component> all)
    {
        var jobs = PlanJobs(c, jobCount);
        WriteComponentRules(y, c);
        foreach (var job in jobs)
        {
            WriteJob(y, c, job, jobs, all);
        }

        return jobs.Count;
    }

    private List<Job> PlanJobs(Component c, int jobCount)
    {
        var jobs = new List<Job>
        {
            new(c.Name + ":deps", "deps", 0),
            new(c.Name + ":build", "build", 1),
            new(c.Name + ":unit", "unit", 2),
            new(c.Name + ":lint", "lint", 3),
            new(c.Name + ":image", "image", 4),
            new(c.Name + ":deploy-staging", "deploy-staging", 6),
            new(c.Name + ":deploy-prod", "deploy-prod", 8),
            new(c.Name + ":cleanup", "cleanup", 9),
        };
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        while (jobs.Count < jobCount)
        {
            var roll = _rng.NextDouble();
            var (kind, stage) = roll switch
            {
                < 0.38 => ("test", 2),
                < 0.50 => ("lint", 3),
                < 0.75 => ("it", 5),
                < 0.90 => ("e2e", 7),
                < 0.95 => ("docs", 1),
                _ => ("sbom", 4),
            };
            if (kind is "docs" or "sbom" && jobs.Any(j => j.Kind == kind))
            {
                (kind, stage) = ("test", 2);
            }

            var k = counters.GetValueOrDefault(kind);
            counters[kind] = k + 1;
            var suite = SuiteWords[k % SuiteWords.Length] + (k < SuiteWords.Length ? "" : N((k / SuiteWords.Length) + 1));
            var name = kind switch
            {
                "docs" => c.Name + ":build-docs",
                "sbom" => c.Name + ":sbom",
                _ => $"{c.Name}:{kind}-{suite}",
            };
            jobs.Add(new Job(name, kind == "lint" ? "lint-extra" : kind, stage));
        }

        return [.. jobs.OrderBy(j => j.Stage)];
    }

    private static void WriteComponentRules(YamlText y, Component c)
    {
        y.Line($"# ---- service {c.Name} ({c.Lang.Name}{(c.Gated ? ", runs on main only when it changes" : "")})")
         .Line($".rules-{c.Name}:")
         .Line(1, "rules:")
         .Line(2, "- if: " + S("$CI_PIPELINE_SOURCE == \"schedule\""))
         .Line(3, "when: never")
         .Line(2, "- if: " + S("$CI_PIPELINE_SOURCE == \"merge_request_event\""))
         .Line(3, "changes:")
         .Line(4, $"- services/{c.Name}/**/*")
         .Line(4, "- libs/common/**/*")
         .Line(2, "- if: " + S("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"));
        if (c.Gated)
        {
            y.Line(3, "changes:")
             .Line(4, $"- services/{c.Name}/**/*")
             .Line(4, "- libs/common/**/*");
        }

        y.Line(2, "- if: " + S("$CI_COMMIT_BRANCH =~ /^release\\/.*/"))
         .Line(2, "- if: " + S("$CI_COMMIT_TAG"))
         .Line(3, "variables:")
         .Line(4, "RELEASE_BUILD: \"true\"")
         .Line();
    }

    private void WriteJob(YamlText y, Component c, Job job, List<Job> jobs, List<Component> all)
    {
        var l = c.Lang.Name;
        var rules = ".rules-" + c.Name;
        y.Line(job.Name + ":");
        switch (job.Kind)
        {
            case "deps":
                Extends(y, "." + l, rules).Line(1, "stage: prepare");
                Vars(y, c);
                y.Line(1, "script:")
                 .Line(2, $"- echo \"resolving {l} dependencies of $COMPONENT\"")
                 .Line(1, "needs: []");
                break;
            case "build":
                Extends(y, $".{l}-build", rules).Line(1, "stage: build");
                Vars(y, c);
                if (_matrixBuilds < MaxMatrixBuilds && _rng.NextDouble() < 0.15)
                {
                    _matrixBuilds++;
                    Matrix(y, 4, "TARGET_OS: [linux, darwin]", "TARGET_ARCH: [amd64, arm64]");
                }

                Needs(y, jobs, job, 1, 1);
                break;
            case "docs":
                Extends(y, "." + l, rules).Line(1, "stage: build");
                Vars(y, c);
                y.Line(1, "script:")
                 .Line(2, "- !reference [.snippets, setup]")
                 .Line(2, "- echo \"building docs for $COMPONENT\"")
                 .Line(1, "artifacts:")
                 .Line(2, "paths: [services/$COMPONENT/site/]");
                Needs(y, jobs, job, 0, 1);
                break;
            case "unit" or "test":
                WriteTest(y, c, job, jobs, rules);
                break;
            case "lint" or "lint-extra":
                WriteLint(y, c, job, jobs, rules);
                break;
            case "image":
                Extends(y, ".docker-image", rules).Line(1, "stage: package");
                Vars(y, c);
                Needs(y, jobs, job, 1, 2);
                break;
            case "sbom":
                Extends(y, ".docker", rules).Line(1, "stage: package");
                Vars(y, c);
                y.Line(1, "script:")
                 .Line(2, "- echo \"syft $REGISTRY/$COMPONENT:$IMAGE_TAG -o spdx-json > sbom.json\"")
                 .Line(1, "allow_failure: true");
                Needs(y, jobs, job, 1, 1);
                break;
            case "it":
                Extends(y, $".{l}-test", rules).Line(1, "stage: integration");
                Vars(y, c, ("TEST_ARGS", "-tags=integration"), ("DATABASE_URL", "postgres://ci:ci@postgres:5432/" + c.Name.Replace('-', '_')));
                if (_rng.NextDouble() < 0.5)
                {
                    y.Line(1, "services:").Line(2, "- postgres:16-alpine");
                }

                Needs(y, jobs, job, 1, 3, crossComponent: OtherBuild(c, all));
                break;
            case "deploy-staging":
                Extends(y, ".deploy", rules).Line(1, "stage: staging");
                Vars(y, c);
                Environment(y, "staging", c, tier: "staging");
                Needs(y, jobs, job, 1, 2);
                break;
            case "e2e":
                job.Needable = false;
                Extends(y, ".e2e", rules).Line(1, "stage: e2e");
                if (_matrixE2e < MaxMatrixE2e && _rng.NextDouble() < 0.1)
                {
                    _matrixE2e++;
                    Vars(y, c);
                    Matrix(y, 3, "BROWSER: [chromium, firefox, webkit]");
                }
                else
                {
                    Vars(y, c, ("BROWSER", "chromium"));
                }

                y.Line(1, "allow_failure: true");
                Needs(y, jobs, job, 1, 1);
                break;
            case "deploy-prod":
                job.Needable = false;
                Extends(y, ".deploy", ".rules-deploy-prod").Line(1, "stage: deploy");
                Vars(y, c);
                Environment(y, "production", c, tier: "production");
                y.Line(1, "needs:")
                 .Line(2, "- job: " + Q(c.Name + ":deploy-staging"))
                 .Line(3, "optional: true");
                break;
            case "cleanup":
                job.Needable = false;
                Extends(y, ".rules-cleanup").Line(1, "stage: cleanup");
                Vars(y, c);
                y.Line(1, "script:")
                 .Line(2, "- echo \"removing review resources of $COMPONENT\"")
                 .Line(1, "allow_failure: true")
                 .Line(1, "dependencies: []");
                break;
            default:
                throw new InvalidOperationException("unknown job kind " + job.Kind);
        }

        y.Line();
    }

    private void WriteTest(YamlText y, Component c, Job job, List<Job> jobs, string rules)
    {
        var slow = job.Kind == "test" && _rng.NextDouble() < 0.1;
        job.Needable = !slow;
        Extends(y, $".{c.Lang.Name}-test", slow ? ".rules-slow" : rules).Line(1, "stage: test");
        Vars(y, c, ("TEST_ARGS", job.Kind == "unit" ? "-short" : "-run " + job.Name[(job.Name.IndexOf(':', StringComparison.Ordinal) + 6)..]));
        if (job.Kind == "unit" && _rng.NextDouble() < 0.3)
        {
            var n = _rng.Next(2, 6);
            y.Line(1, "parallel: " + N(n));
            _expanded += n - 1;
        }

        if (_rng.NextDouble() < 0.4)
        {
            y.Line(1, "script:")
             .Line(2, "- !reference [.snippets, setup]")
             .Line(2, $"- echo \"{c.Lang.Test} $TEST_ARGS (node $CI_NODE_INDEX of $CI_NODE_TOTAL)\"")
             .Line(2, "- !reference [.snippets, report]");
        }

        if (_rng.NextDouble() < 0.15)
        {
            y.Line(1, "allow_failure:").Line(2, "exit_codes: [137, 143]");
        }

        if (_rng.NextDouble() < 0.1)
        {
            y.Line(1, "timeout: 1h");
        }

        Needs(y, jobs, job, 1, 2);
    }

    private void WriteLint(YamlText y, Component c, Job job, List<Job> jobs, string rules)
    {
        var docsOnly = job.Kind == "lint-extra" && _rng.NextDouble() < 0.3;
        job.Needable = !docsOnly;
        Extends(y, $".{c.Lang.Name}-lint", docsOnly ? null : rules).Line(1, "stage: lint");
        Vars(y, c);
        if (docsOnly)
        {
            y.Line(1, "rules:")
             .Line(2, "- if: " + S("$CI_PIPELINE_SOURCE == \"merge_request_event\""))
             .Line(3, "changes:")
             .Line(4, $"- services/{c.Name}/docs/**/*")
             .Line(2, "- if: " + S("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"))
             .Line(3, "changes:")
             .Line(4, $"- services/{c.Name}/docs/**/*")
             .Line(4, "- docs/**/*");
        }

        // A docs-only lint runs whenever the docs change, also when its service's other jobs are left
        // out (gated services), so it may need none of them: GitLab rejects a need on a job that is not
        // in the pipeline. Its needs are still drawn (and dropped) so other jobs keep the same random
        // numbers, and seed 42 the file the measurements in docs/benchmarks.md were taken on.
        y.Line(1, "dependencies: []");
        if (_rng.NextDouble() < 0.5)
        {
            y.Line(1, "needs: []");
        }
        else if (docsOnly)
        {
            Needs(new YamlText(), jobs, job, 1, 1);
            y.Line(1, "needs: []");
        }
        else
        {
            Needs(y, jobs, job, 1, 1);
        }
    }
}
