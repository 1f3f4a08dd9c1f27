using Relais.Pipelines.Globs;

namespace Relais.Pipelines.Tests.Globs;

/// <summary><c>include:local</c> wildcards: only <c>*</c> and <c>**</c>, whole-path match.</summary>
public sealed class GlobIncludeLocalTests
{
    private static bool Matches(string pattern, string path) => Glob.Compile(pattern, GlobDialect.IncludeLocal).IsMatch(path);

    [Theory]
    [InlineData("configs/*.yml", "configs/build.yml", true)]
    [InlineData("configs/*.yml", "configs/.hidden.yml", true)]
    [InlineData("configs/*.yml", "configs/sub/build.yml", false)]
    [InlineData("configs/*.yml", "configs/build.yml.bak", false)]
    [InlineData("configs/**.yml", "configs/build.yml", true)]
    [InlineData("configs/**.yml", "configs/a/b/build.yml", true)]
    [InlineData("configs/**/*.yml", "configs/a/build.yml", true)]
    [InlineData("configs/**/*.yml", "configs/a/b/build.yml", true)]
    [InlineData("configs/**/*.yml", "configs/build.yml", false)]
    [InlineData("**", "a/b/c.yml", true)]
    [InlineData("*", "a/b", false)]
    [InlineData("***.yml", "a/b.yml", true)]
    public void Star_stays_in_a_directory_and_double_star_crosses_them(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Matches(pattern, path));

    [Theory]
    [InlineData("ci/?.yml", "ci/?.yml", true)]
    [InlineData("ci/?.yml", "ci/a.yml", false)]
    [InlineData("ci/{a,b}.yml", "ci/a.yml", false)]
    [InlineData("ci/[ab]*.yml", "ci/[ab]x.yml", true)]
    [InlineData("ci/a.yml", "ci/a.yml", true)]
    [InlineData("ci/a.yml", "ci/axyml", false)]
    public void Everything_else_is_literal(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Matches(pattern, path));

    [Fact]
    public void Long_paths_use_pooled_buffers()
    {
        var path = string.Join('/', Enumerable.Repeat("directory", 100)) + "/file.yml";
        Assert.True(Matches("**/*.yml", path));
        Assert.False(Matches("*/*.yml", path));
    }
}
