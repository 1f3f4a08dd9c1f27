using System.Diagnostics;
using Relais.Pipelines.Variables;

namespace Relais.Pipelines.Tests.Variables;

public sealed class VariableSetExpanderTests
{
    private static VariableSetExpansion ExpandWith(VariableSetOptions options, params VariableDefinition[] variables) =>
        VariableSetExpander.Expand(variables, options);

    private static VariableSetExpansion Expand(params VariableDefinition[] variables) =>
        ExpandWith(VariableSetOptions.RunnerPayload, variables);

    private static string ValueOf(VariableSetExpansion expansion, string key) =>
        expansion.Variables.Last(v => v.Key == key).Value;

    [Fact]
    public void Chains_resolve_to_fully_expanded_values_in_any_order()
    {
        var expansion = Expand(new("C", "${B}-c"), new("B", "$A-b"), new("A", "a"));
        Assert.False(expansion.HasCycles);
        Assert.Equal("a-b-c", ValueOf(expansion, "C"));
        Assert.Equal(["A", "B", "C"], expansion.Variables.Select(v => v.Key));
    }

    [Fact]
    public void Undefined_references_are_kept_for_the_runner_or_dropped()
    {
        Assert.Equal("$NOPE/x", ValueOf(Expand(new VariableDefinition("P", "$NOPE/x")), "P"));
        Assert.Equal("/x", ValueOf(ExpandWith(VariableSetOptions.Complete, new VariableDefinition("P", "$NOPE/x")), "P"));
    }

    [Fact]
    public void Raw_variables_are_not_expanded_and_references_to_them_wait_for_the_runner()
    {
        VariableDefinition[] set = [new("A", "a"), new("B", "$A", Raw: true), new("C", "[$B]")];
        var payload = ExpandWith(VariableSetOptions.RunnerPayload, set);
        Assert.Equal("$A", ValueOf(payload, "B"));
        Assert.Equal("[$B]", ValueOf(payload, "C"));
        Assert.Equal("[$A]", ValueOf(ExpandWith(VariableSetOptions.Complete, set), "C"));
    }

    [Fact]
    public void References_to_file_variables_wait_for_the_runner_unless_asked()
    {
        VariableDefinition[] set = [new("KEY", "secret", IsFile: true), new("PATHS", "${KEY}.txt")];
        Assert.Equal("${KEY}.txt", ValueOf(ExpandWith(VariableSetOptions.RunnerPayload, set), "PATHS"));
        Assert.Equal("secret.txt", ValueOf(ExpandWith(VariableSetOptions.Complete, set), "PATHS"));
    }

    [Fact]
    public void Cycles_are_reported_and_nothing_is_expanded()
    {
        VariableDefinition[] set = [new("A", "$B"), new("B", "${A}"), new("C", "$D"), new("D", "d"), new("E", "%F%"), new("F", "$G"), new("G", "$E")];
        var expansion = Expand(set);
        Assert.True(expansion.HasCycles);
        Assert.Equal(set, expansion.Variables);
        Assert.Equal(2, expansion.Cycles.Length);
        Assert.Equal(["A", "B"], expansion.Cycles[0].Order());
        Assert.Equal(["E", "F", "G"], expansion.Cycles[1].Order());
        Assert.StartsWith("circular variable reference between ", expansion.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variable_naming_itself_reads_the_earlier_definition()
    {
        var alone = Expand(new VariableDefinition("A", "x$A"));
        Assert.False(alone.HasCycles);
        Assert.Equal("x$A", ValueOf(alone, "A"));

        var layered = Expand(new("PATH", "/usr/bin"), new("PATH", "$PATH:/opt/bin"));
        Assert.Equal(["/usr/bin", "/usr/bin:/opt/bin"], layered.Variables.Select(v => v.Value));
    }

    [Fact]
    public void The_last_definition_of_a_name_wins()
    {
        var expansion = Expand(new("FOO", "a"), new("BAR", "$FOO"), new("FOO", "b"));
        Assert.Equal("b", ValueOf(expansion, "BAR"));
        Assert.Equal(["FOO", "FOO", "BAR"], expansion.Variables.Select(v => v.Key));
    }

    [Fact]
    public void Escapes_and_percent_references()
    {
        var expansion = Expand(new("A", "$$HOME and 100%%"), new("B", "%C%/$C"), new("C", "c"), new("D", "$C$C"));
        Assert.Equal("$$HOME and 100%%", ValueOf(expansion, "A"));
        Assert.Equal("c/c", ValueOf(expansion, "B"));
        Assert.Equal("cc", ValueOf(expansion, "D"));
    }

    [Fact]
    public void Long_chains_neither_overflow_nor_take_long()
    {
        var set = Enumerable.Range(0, 20_000)
            .Select(i => new VariableDefinition($"V{i}", i == 0 ? "x" : $"$V{i - 1}"))
            .Reverse()
            .ToArray();
        var clock = Stopwatch.StartNew();
        var expansion = Expand(set);
        Assert.Equal("x", ValueOf(expansion, "V19999"));
        Assert.True(clock.ElapsedMilliseconds < 2_000, $"took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void A_long_cycle_is_found_without_recursion()
    {
        var set = Enumerable.Range(0, 20_000)
            .Select(i => new VariableDefinition($"V{i}", $"$V{(i + 1) % 20_000}"))
            .ToArray();
        var expansion = Expand(set);
        Assert.Single(expansion.Cycles);
        Assert.Equal(20_000, expansion.Cycles[0].Length);
    }
}
