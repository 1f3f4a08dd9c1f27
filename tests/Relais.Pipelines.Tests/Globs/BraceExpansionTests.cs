using Relais.Pipelines.Globs;

namespace Relais.Pipelines.Tests.Globs;

public sealed class BraceExpansionTests
{
    [Theory]
    [InlineData("a", new[] { "a" })]
    [InlineData("{a,b}c", new[] { "ac", "bc" })]
    [InlineData("{a,b}{1,2}", new[] { "a1", "a2", "b1", "b2" })]
    [InlineData("x{a,{b,c}d}", new[] { "xa", "xbd", "xcd" })]
    [InlineData("{,a}", new[] { "", "a" })]
    [InlineData("a{}b", new[] { "ab" })]
    [InlineData("\\{a,b}", new[] { "\\{a,b}" })]
    [InlineData("{a\\,b,c}", new[] { "a\\,b", "c" })]
    [InlineData("a}b", new[] { "a}b" })]
    [InlineData("{a,b", new string[0])]
    public void Expands_as_Ruby_does(string pattern, string[] expected) =>
        Assert.Equal(expected, BraceExpansion.Expand(pattern));
}
