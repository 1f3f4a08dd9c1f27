using Relais.Pipelines.Context;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Sources;
using Relais.Pipelines.Yaml;
using Xunit.Abstractions;

namespace Relais.Pipelines.Tests.Corpus;

/// <summary>
/// The eight real projects' CI configurations in ../shared/corpus/real-world: the five without outside
/// includes compile with no errors (child pipelines from their own entry files too); the other three
/// fail only on their outside includes, with a clear "not available" diagnostic, and compile cleanly
/// when a resolver stubs those includes.
/// </summary>
public sealed class RealWorldCorpusTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> SelfContained => new()
    {
        { "eigen-mirror__eigen", ".gitlab-ci.yml" },
        { "libvirt__libvirt-python", ".gitlab-ci.yml" },
        { "f-droid__fdroidserver", ".gitlab-ci.yml" },
        { "xen-project__xen", ".gitlab-ci.yml" },
        { "ottok__salsa-ci-pipeline", ".gitlab-ci.yml" },
        { "ottok__salsa-ci-pipeline", ".images-debian.yml" },
        { "ottok__salsa-ci-pipeline", ".images-ubuntu.yml" },
        { "ottok__salsa-ci-pipeline", ".images-elxr.yml" },
        { "ottok__salsa-ci-pipeline", ".pipeline-test.yml" },
        { "ottok__salsa-ci-pipeline", ".pipeline-test-ubuntu.yml" },
    };

    public static TheoryData<string, string> WithOutsideIncludes => new()
    {
        { "gitlabhq__gitlab-runner", ".gitlab-ci.yml" },
        { "gitlabhq__omnibus-gitlab", ".gitlab-ci.yml" },
        { "gitlabhq__omnibus-gitlab", "gitlab-ci-config/check-packages.yml" },
        { "integratop__gitlab-org-charts-mirror", ".gitlab-ci.yml" },
    };

    [CorpusTheory]
    [MemberData(nameof(SelfContained))]
    public void Self_contained_samples_compile_without_errors(string sample, string entry)
    {
        var result = Compile(sample, entry, stub: false);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.NotEmpty(result.Plan!.Jobs);
    }

    [CorpusTheory]
    [MemberData(nameof(WithOutsideIncludes))]
    public void Samples_with_outside_includes_fail_only_on_those_includes(string sample, string entry)
    {
        var result = Compile(sample, entry, stub: false);
        var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        var unavailable = errors.Where(e => e.Code is "include-unavailable" or "include-project").ToList();
        var others = errors.Except(unavailable).ToList();
        if (entry != "gitlab-ci-config/check-packages.yml")
        {
            Assert.NotEmpty(unavailable);
        }

        // Names that only the missing includes define (gitlab-runner's .fuzz_base, .google-oidc:auth) are the
        // only other findings allowed.
        Assert.All(others, e => Assert.Contains(e.Code, new[] { "extends-unknown", "reference-missing" }));
        Assert.All(unavailable, e => Assert.Contains("not", e.Message, StringComparison.Ordinal));
    }

    [CorpusTheory]
    [MemberData(nameof(WithOutsideIncludes))]
    public void Samples_with_outside_includes_compile_when_a_resolver_stubs_them(string sample, string entry)
    {
        var result = Compile(sample, entry, stub: true);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.True(result.Plan is { Jobs.Length: > 0 } || !result.Workflow.Created);
    }

    private CompileResult Compile(string sample, string entry, bool stub)
    {
        var root = CorpusLocation.Path(Path.Combine("real-world", sample));
        var source = new DirectoryConfigSource(root!);
        var request = new CompileRequest(source, Context(sample)) { EntryFile = entry };
        if (stub)
        {
            var stubs = new OutsideIncludeStubs(root!);
            source.Projects["gitlab-com/gl-security/security-operations/infrastructure-security-public/oidc-modules"] = stubs.OidcProject;
            request = request with { ExternalIncludes = stubs };
        }

        var result = PipelineCompiler.Compile(request);
        output.WriteLine($"{sample}/{entry}: {result.Plan?.Jobs.Length ?? 0} jobs; workflow: {result.Workflow.Reason}");
        foreach (var d in result.Diagnostics)
        {
            output.WriteLine(d.ToString());
        }

        return result;
    }

    /// <summary>A push to the default branch of the project's canonical home, so the includes meant for it apply.</summary>
    private static PipelineContext Context(string sample)
    {
        var (path, branch) = sample switch
        {
            "gitlabhq__gitlab-runner" => ("gitlab-org/gitlab-runner", "main"),
            "gitlabhq__omnibus-gitlab" => ("gitlab-org/omnibus-gitlab", "master"),
            "integratop__gitlab-org-charts-mirror" => ("gitlab-org/charts/gitlab", "master"),
            "ottok__salsa-ci-pipeline" => ("salsa-ci-team/pipeline", "master"),
            "xen-project__xen" => ("xen-project/xen", "staging"),
            "eigen-mirror__eigen" => ("libeigen/eigen", "master"),
            "libvirt__libvirt-python" => ("libvirt/libvirt-python", "master"),
            _ => ("fdroid/fdroidserver", "master"),
        };
        return new PipelineContext
        {
            Ref = branch,
            DefaultBranch = branch,
            RefProtected = true,
            Source = PipelineSource.Push,
            ProjectPath = path,
            ServerUrl = "https://gitlab.com",
        };
    }
}

/// <summary>Stands in for the includes the samples take from outside: each is a file declaring whatever inputs the samples pass.</summary>
internal sealed class OutsideIncludeStubs : IExternalIncludeResolver
{
    private readonly string _inputs;

    public OutsideIncludeStubs(string root)
    {
        var inputs = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*.y*ml", SearchOption.AllDirectories))
        {
            var parsed = YamlLoader.Load(file, File.ReadAllText(file), new DiagnosticBag());
            var include = parsed?.Body["include"];
            foreach (var item in include is YamlSequence seq ? seq.Items : include is null ? [] : [include])
            {
                if (item is YamlMapping m && (m.ContainsKey("component") || m.ContainsKey("template") || m.ContainsKey("remote")) && m["inputs"] is YamlMapping given)
                {
                    foreach (var e in given.Entries)
                    {
                        inputs[e.Key] = e.Value;
                    }
                }
            }
        }

        _inputs = string.Join("\n", inputs.Select(i => $"    {i.Key}: {{ type: {TypeOf(i.Value)}, default: {DefaultOf(i.Value)} }}"));
        OidcProject = new InMemoryConfigSource(new Dictionary<string, string>
        {
            ["templates/gcp_auth.yaml"] = ".google-oidc:auth:\n  before_script: [echo auth]\n",
        });
    }

    public IConfigSource OidcProject { get; }

    /// <summary>The jobs each outside include defines that the samples extend or override.</summary>
    private static readonly (string Location, string Job)[] Provided =
    [
        ("Coverage-Fuzzing", ".fuzz_base"),
        ("danger-review", "danger-review"),
        ("Container-Scanning", "container_scanning"),
        ("Dependency-Scanning", "dependency_scanning"),
        ("Secret-Detection", "secret_detection"),
        ("SAST-IaC", "iac-sast"),
        ("Jobs/SAST.latest", "sast"),
        ("dependency-scanning/main", "dependency-scanning"),
        ("sast/sast", "gitlab-advanced-sast"),
    ];

    public string? Resolve(string kind, string location)
    {
        var jobs = Provided.Where(p => location.Contains(p.Location, StringComparison.Ordinal)).Select(p => $"{p.Job}:\n  stage: .pre\n  script: [stub]\n");
        var body = ".stub: {}\n" + string.Concat(jobs);
        return _inputs.Length == 0 ? body : $"spec:\n  inputs:\n{_inputs}\n---\n{body}";
    }

    private static string TypeOf(YamlNode node) => node switch
    {
        YamlScalar { Type: ScalarType.Bool } => "boolean",
        YamlScalar { Type: ScalarType.Int or ScalarType.Float } => "number",
        YamlSequence => "array",
        _ => "string",
    };

    private static string DefaultOf(YamlNode node) => node switch
    {
        YamlScalar { Type: ScalarType.Bool } => "false",
        YamlScalar { Type: ScalarType.Int or ScalarType.Float } => "0",
        YamlSequence => "[]",
        _ => "''",
    };
}
