using Relais.Pipelines.Globs;

namespace Relais.Pipelines.Tests.Globs;

/// <summary><c>rules:changes</c>, <c>rules:exists</c>, <c>only:changes</c>: Ruby fnmatch with PATHNAME | DOTMATCH | EXTGLOB.</summary>
public sealed class GlobFileMatchTests
{
    private static bool Matches(string pattern, string path) => Glob.Compile(pattern).IsMatch(path);

    [Theory]
    [InlineData("docs/**/*.md", "docs/index.md", true)]
    [InlineData("docs/**/*.md", "docs/guide/setup.md", true)]
    [InlineData("docs/**/*.md", "docs/a/b/c/deep.md", true)]
    [InlineData("docs/**/*.md", "docs/.hidden/notes.md", true)]
    [InlineData("docs/**/*.md", "docs/index.txt", false)]
    [InlineData("docs/**/*.md", "other/docs/index.md", false)]
    [InlineData("docs/**/*.md", "docs.md", false)]
    [InlineData("*.{js,ts}", "app.js", true)]
    [InlineData("*.{js,ts}", "app.ts", true)]
    [InlineData("*.{js,ts}", "app.jsx", false)]
    [InlineData("*.{js,ts}", "src/app.js", false)]
    [InlineData("*.{js,ts}", ".eslintrc.js", true)]
    [InlineData("**/Dockerfile", "Dockerfile", true)]
    [InlineData("**/Dockerfile", "services/api/Dockerfile", true)]
    [InlineData("**/Dockerfile", ".docker/Dockerfile", true)]
    [InlineData("**/Dockerfile", "services/Dockerfile.dev", false)]
    [InlineData("**/*.{yml,yaml}", ".gitlab/ci/build.yml", true)]
    [InlineData("**/*", ".gitlab-ci.yml", true)]
    [InlineData("**/*", "a/b/c", true)]
    [InlineData("Dockerfile", "Dockerfile", true)]
    [InlineData("Dockerfile", "sub/Dockerfile", false)]
    public void GitLab_documentation_examples(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Matches(pattern, path));

    [Theory]
    [InlineData("*", "file", true)]
    [InlineData("*", ".env", true)]
    [InlineData("*", "dir/file", false)]
    [InlineData("*.yml", ".gitlab-ci.yml", true)]
    [InlineData("**", "file", true)]
    [InlineData("**", "dir/file", false)]
    [InlineData("docs/**", "docs/a", true)]
    [InlineData("docs/**", "docs/a/b", false)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**/**/b", "a/b", true)]
    [InlineData("**/a/**/b", "x/a/y/z/b", true)]
    [InlineData("**/a/**/b", "x/a/y/z/c", false)]
    [InlineData("a**/b", "ax/b", true)]
    [InlineData("a**/b", "ax/y/b", false)]
    [InlineData("*a*b", "xaybzb", true)]
    [InlineData("*a*b", "xaybzc", false)]
    [InlineData("src/*/test/*.rb", "src/lib/test/a_test.rb", true)]
    [InlineData("src/*/test/*.rb", "src/lib/x/test/a_test.rb", false)]
    public void Stars_stay_in_one_directory_and_double_stars_slash_span_many(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Matches(pattern, path));

    [Theory]
    [InlineData("?.txt", "a.txt", true)]
    [InlineData("?.txt", "ab.txt", false)]
    [InlineData("a?b", "a/b", false)]
    [InlineData("?", "é", true)]
    [InlineData("?", "😀", true)]
    [InlineData("[abc].txt", "b.txt", true)]
    [InlineData("[abc].txt", "d.txt", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[!a-c]x", "dx", true)]
    [InlineData("[!a-c]x", "ax", false)]
    [InlineData("[^a-c]x", "dx", true)]
    [InlineData("[a-]x", "-x", true)]
    [InlineData("[\\]]", "]", true)]
    [InlineData("[]", "]", false)]
    [InlineData("[abc", "[abc", false)]
    [InlineData("a[/]b", "a/b", false)]
    [InlineData("*.MD", "readme.md", false)]
    public void Question_marks_and_brackets_take_one_character(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Matches(pattern, path));

    [Theory]
    [InlineData("\\*.txt", "*.txt", true)]
    [InlineData("\\*.txt", "a.txt", false)]
    [InlineData("a\\?", "a?", true)]
    [InlineData("a\\?", "ab", false)]
    [InlineData("\\{a,b\\}", "{a,b}", true)]
    [InlineData("\\{a,b\\}", "a", false)]
    public void Backslash_escapes(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Matches(pattern, path));

    [Theory]
    [InlineData("{a,b}/*.yml", "a/x.yml", true)]
    [InlineData("{a,b}/*.yml", "b/y.yml", true)]
    [InlineData("{a,b}/*.yml", "c/z.yml", false)]
    [InlineData("{a,{b,c}d}", "cd", true)]
    [InlineData("{a,{b,c}d}", "a", true)]
    [InlineData("{a,{b,c}d}", "d", false)]
    [InlineData("{,x}y", "y", true)]
    [InlineData("{,x}y", "xy", true)]
    [InlineData("a{}b", "ab", true)]
    [InlineData("{a,b", "{a,b", false)]
    [InlineData("{a,b", "a", false)]
    [InlineData("a}b", "a}b", true)]
    [InlineData("{src,lib}/**/*.{c,h}", "lib/x/y.h", true)]
    public void Braces_expand_to_alternatives(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Matches(pattern, path));

    [Fact]
    public void Filter_and_MatchesAny()
    {
        var glob = Glob.Compile("src/**/*.cs");
        string[] paths = ["README.md", "src/A.cs", "src/x/B.cs", "tests/C.cs"];
        Assert.Equal(["src/A.cs", "src/x/B.cs"], glob.Filter(paths));
        Assert.True(glob.MatchesAny(paths));
        Assert.False(glob.MatchesAny(["README.md"]));
    }

    [Fact]
    public void Brace_explosions_are_refused()
    {
        var pattern = string.Concat(Enumerable.Repeat("{a,b}", 13));
        Assert.False(Glob.TryCompile(pattern, GlobDialect.FileMatch, out _, out var error));
        Assert.Contains("more than 4096 alternatives", error, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Glob.Compile(pattern));
        Assert.True(Glob.Compile(string.Concat(Enumerable.Repeat("{a,b}", 12))).IsMatch(new string('a', 12)));
    }

    [Fact]
    public void Pathological_stars_finish_quickly()
    {
        var glob = Glob.Compile(string.Concat(Enumerable.Repeat("*a", 30)) + "b");
        Assert.False(glob.IsMatch(new string('a', 200)));
    }
}
