namespace Relais.Pipelines.Tests.Expressions;

/// <summary>The variables most expression tests evaluate against.</summary>
internal static class ExpressionTestVariables
{
    public static readonly IReadOnlyDictionary<string, string> Values = new Dictionary<string, string>
    {
        ["PRESENT"] = "my variable",
        ["EMPTY"] = "",
        ["BLANK"] = "   ",
        ["PATH"] = "a/path/variable/value",
        ["FULL_PATH"] = "/a/full/path/variable/value",
        ["CI_COMMIT_BRANCH"] = "feature/x",
        ["CI_COMMIT_REF_NAME"] = "feature/x",
        ["CI_DEFAULT_BRANCH"] = "main",
        ["CI_PIPELINE_SOURCE"] = "merge_request_event",
        ["CI_COMMIT_MESSAGE"] = "Fix the build\n\n[skip e2e]",
        ["TEST_STRING"] = "abcde",
        ["PATTERN_AB"] = "/^ab.*/",
        ["PATTERN_AT"] = "/^at.*/",
        ["PATTERN_I"] = "/^AB/i",
        ["ESCAPED_SLASH_PATTERN"] = @"/path\/variable/",
        ["BAD_PATTERN"] = "/(/",
        ["ONE_CHAR_PATTERN"] = "/a/",
        ["WORD"] = "bcd",
        ["TRUE_STRING"] = "true",
    };

    public static string? Lookup(string name) => Values.TryGetValue(name, out var value) ? value : null;
}
