using Relais.Runner.Files;

namespace Relais.Runner.Tests.Files;

public class PathGlobTests
{
    [Theory]
    [InlineData("out/*.txt", "out/a.txt", true)]
    [InlineData("out/*.txt", "out/sub/a.txt", false)]
    [InlineData("out/**/*.txt", "out/a.txt", true)]
    [InlineData("out/**/*.txt", "out/x/y/a.txt", true)]
    [InlineData("**/*.log", "a/b/c.log", true)]
    [InlineData("**/*.log", "c.log", true)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("./out/", "out", true)]
    [InlineData("file?.bin", "file1.bin", true)]
    [InlineData("file?.bin", "file10.bin", false)]
    [InlineData("[ab]*.c", "b.c", true)]
    [InlineData("[!ab]*.c", "b.c", false)]
    [InlineData("[a-c].c", "c.c", true)]
    [InlineData("*.{js,css}", "site.css", true)]
    [InlineData("*.{js,css}", "site.html", false)]
    [InlineData("*", ".hidden", true)]
    [InlineData(@"lit\*", "lit*", true)]
    public void Matches_doublestar_patterns(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, new PathGlob(pattern).IsMatch(path));
    }

    [Fact]
    public void Knows_its_literal_base_and_depth()
    {
        Assert.Equal("build/out", new PathGlob("build/out/*.bin").BaseDirectory);
        Assert.Equal(3, new PathGlob("build/out/*.bin").MaxDepth);
        Assert.Null(new PathGlob("build/**/x").MaxDepth);
        Assert.True(new PathGlob("dist/app.js").IsLiteral);
    }
}
