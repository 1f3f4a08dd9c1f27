using System.Text.Json;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Sources;
using Relais.Pipelines.Yaml;
using Relais.Protocol;

namespace Relais.Dispatch.Tests;

/// <summary>
/// ../shared/corpus/runner-payload: for each case, the job payload of the one job `rspec` of a push
/// pipeline on master includes the case's <c>request_response</c> fragment — every top-level key present
/// with an equal value, nested values equal in full. <c>run</c> is a JSON string; it is compared as the
/// JSON it holds, since key order inside it carries no meaning for a runner.
/// </summary>
public sealed class RunnerPayloadCorpusTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        var dir = SharedCorpus.PathOf("runner-payload");
        foreach (var file in dir is null ? Enumerable.Empty<string>() : Directory.EnumerateFiles(dir, "*.yml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [CorpusTheory]
    [MemberData(nameof(Cases))]
    public void The_payload_includes_the_expected_fragment(string file)
    {
        var text = File.ReadAllText(Path.Combine(SharedCorpus.PathOf("runner-payload")!, file));
        var context = new PipelineContext { Ref = "master", DefaultBranch = "master", Sha = new string('b', 40), ProjectPath = "group/project" };
        var result = PipelineCompiler.Compile(new CompileRequest(InMemoryConfigSource.Single(GitlabCiBlock(text)), context));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var job = Assert.Single(result.Plan!.Jobs);
        Assert.Equal("rspec", job.Name);
        var payload = JobPayloadBuilder.Build(new JobDispatch
        {
            Plan = result.Plan, Job = job, Context = context, JobId = 1, JobToken = "t", RepoUrl = "https://h/group/project.git",
        });
        using var actual = JsonDocument.Parse(ProtocolJson.Write(payload));
        using var expected = JsonDocument.Parse(ExpectedJson(text, file));
        foreach (var property in expected.RootElement.EnumerateObject())
        {
            Assert.True(actual.RootElement.TryGetProperty(property.Name, out var value), $"the payload has no `{property.Name}`");
            var same = property.Name == "run"
                ? JsonEquals(JsonDocument.Parse(property.Value.GetString()!).RootElement, JsonDocument.Parse(value.GetString()!).RootElement)
                : JsonEquals(property.Value, value);
            Assert.True(same, $"`{property.Name}` differs:\nexpected {property.Value}\nactual   {value}");
        }
    }

    /// <summary>The <c>gitlab_ci:</c> block of a case file, as its own YAML document.</summary>
    private static string GitlabCiBlock(string text)
    {
        var lines = text.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == "gitlab_ci:") + 1;
        var block = lines.Skip(start).TakeWhile(l => l.Length == 0 || l.StartsWith(' '));
        return string.Join("\n", block.Select(l => l.Length >= 2 ? l[2..] : l)) + "\n";
    }

    private static string ExpectedJson(string text, string file)
    {
        var parsed = YamlLoader.Load(file, text, new DiagnosticBag())!;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            YamlJson.Write(writer, parsed.Body["request_response"]);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static bool JsonEquals(JsonElement a, JsonElement b) => (a.ValueKind, b.ValueKind) switch
    {
        (JsonValueKind.Object, JsonValueKind.Object) =>
            a.EnumerateObject().Count() == b.EnumerateObject().Count()
            && a.EnumerateObject().All(p => b.TryGetProperty(p.Name, out var other) && JsonEquals(p.Value, other)),
        (JsonValueKind.Array, JsonValueKind.Array) =>
            a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(x => JsonEquals(x.First, x.Second)),
        (JsonValueKind.Number, JsonValueKind.Number) => a.GetDecimal() == b.GetDecimal(),
        (JsonValueKind.String, JsonValueKind.String) => a.GetString() == b.GetString(),
        _ => a.ValueKind == b.ValueKind,
    };
}
