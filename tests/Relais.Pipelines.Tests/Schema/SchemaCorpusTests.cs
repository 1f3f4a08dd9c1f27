using Relais.Pipelines.Diagnostics;

namespace Relais.Pipelines.Tests.Schema;

/// <summary>Every case of GitLab's schema corpus: positives have no error, negatives at least one.</summary>
public sealed class SchemaCorpusTests
{
    /// <summary>
    /// The corpus README names this one positive case as outdated: upstream removed the <c>action</c>
    /// step form from the schema after the file was written, and the newer file was not available.
    /// </summary>
    private const string OutdatedFile = "run.yml";
    private const string OutdatedCase = "step_using_action";
    private const string OutdatedReason =
        "positive/run.yml step_using_action is outdated (corpus README): GitLab removed the `action` step form";

    public static IEnumerable<object[]> PositiveCases() =>
        SchemaCorpus.Cases("positive").Where(c => !((string)c[0] == OutdatedFile && (string)c[1] == OutdatedCase));

    public static IEnumerable<object[]> NegativeCases() => SchemaCorpus.Cases("negative");

    [CorpusTheory]
    [MemberData(nameof(PositiveCases))]
    public void Positive_case_has_no_errors(string file, string @case)
    {
        var bag = SchemaCorpus.Validate("positive", file, @case);
        var errors = bag.Items.Where(d => d.Severity == Severity.Error).ToList();
        Assert.True(errors.Count == 0, $"positive/{file} `{@case}` should be valid, but:\n  " + string.Join("\n  ", errors));
    }

    [CorpusTheory]
    [MemberData(nameof(NegativeCases))]
    public void Negative_case_has_an_error(string file, string @case)
    {
        var bag = SchemaCorpus.Validate("negative", file, @case);
        Assert.True(bag.HasErrors, $"negative/{file} `{@case}` should be rejected, but no error was reported"
            + (bag.Items.Count > 0 ? ":\n  " + string.Join("\n  ", bag.Items) : ""));
    }

    [Fact(Skip = OutdatedReason)]
    public void Positive_run_step_using_action_is_outdated()
    {
    }

    [CorpusFact]
    public void Corpus_has_the_expected_number_of_cases()
    {
        // Guards against a loader or enumeration change silently dropping cases (192 + the outdated one, and 238).
        Assert.True(PositiveCases().Count() >= 190, $"{PositiveCases().Count()} positive cases");
        Assert.True(NegativeCases().Count() >= 230, $"{NegativeCases().Count()} negative cases");
    }
}
