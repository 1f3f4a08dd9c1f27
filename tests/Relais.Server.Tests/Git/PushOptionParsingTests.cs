using Relais.Server.Git;

namespace Relais.Server.Tests.Git;

/// <summary>How <see cref="PushOptions"/> reads <c>git push -o</c> values, as GitLab's <c>Gitlab::PushOptions</c> does.</summary>
public sealed class PushOptionParsingTests
{
    [Fact]
    public void Known_options_are_kept_unknown_ones_ignored_and_mr_is_merge_request()
    {
        var options = PushOptions.Parse(["ci.skip", "mr.create", "merge_request.target=main", "ci.unknown", "nonsense", "other.thing=1", ".skip"]);

        Assert.True(options.SkipsCi);
        Assert.Equal(true, options.Get("merge_request", "create"));
        Assert.Equal("main", options.Get("merge_request", "target"));
        Assert.Null(options.Get("ci", "unknown"));
        Assert.Equal(["ci", "merge_request"], options.ToJson().Keys);
    }

    [Fact]
    public void Variables_split_at_the_first_equals_keep_empty_values_and_drop_what_is_not_a_variable()
    {
        var options = PushOptions.Parse(["ci.variable=A=1", "ci.variable=B=x=y", "ci.variable=EMPTY=", "ci.variable==nameless", "ci.variable=NOVALUE", "ci.variable=BAD NAME=1", "ci.variable"]);

        Assert.Equal([("A", "1"), ("B", "x=y"), ("EMPTY", "")], options.Variables.Select(v => (v.Key, v.Value)));
        Assert.False(options.SkipsCi);
    }

    [Fact]
    public void Inputs_are_name_value_pairs_and_none_is_null()
    {
        Assert.Null(PushOptions.None.Inputs);
        var options = PushOptions.Parse(["ci.input=level=10", "ci.input=stage=deploy"]);
        Assert.Equal(new Dictionary<string, string> { ["level"] = "10", ["stage"] = "deploy" }, options.Inputs);
    }
}
