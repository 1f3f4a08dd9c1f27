using Relais.Protocol.Jobs;
using Relais.Runner.Caching;
using Relais.Runner.Tests.Support;
using Relais.Runner.Variables;

namespace Relais.Runner.Tests.Caching;

public class CacheKeysTests
{
    private static readonly JobVariables Variables = new([new JobVariable("CI_COMMIT_REF_SLUG", "main"), new JobVariable("LANG_V", "3.3")]);

    [Fact]
    public void Expands_variables_and_defaults_to_default()
    {
        Assert.Equal(new ResolvedCacheKey("gems-main-3.3", null), CacheKeys.Resolve(new JobCache { Key = "gems-$CI_COMMIT_REF_SLUG-${LANG_V}" }, Variables, "/nowhere"));
        Assert.Equal("default", CacheKeys.Resolve(new JobCache(), Variables, "/nowhere").Key);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("x%2Fy")]
    public void Refuses_keys_that_would_leave_their_directory(string key)
    {
        Assert.NotNull(CacheKeys.Resolve(new JobCache { Key = key }, Variables, "/nowhere").Error);
    }

    [Fact]
    public void Key_files_hash_contents_with_a_prefix_and_change_when_a_file_changes()
    {
        using var dir = new TempDirectory();
        dir.Write("Gemfile.lock", "rake (13.0)");
        dir.Write("package-lock.json", "{}");
        var cache = new JobCache { KeyFiles = ["Gemfile.lock", "package-lock.json"], KeyPrefix = "$CI_COMMIT_REF_SLUG" };

        var first = CacheKeys.Resolve(cache, Variables, dir.Path).Key;
        var again = CacheKeys.Resolve(cache, Variables, dir.Path).Key;
        dir.Write("Gemfile.lock", "rake (13.1)");
        var changed = CacheKeys.Resolve(cache, Variables, dir.Path).Key;

        Assert.Matches("^main-[0-9a-f]{40}$", first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, changed);
        Assert.Equal("main-default", CacheKeys.Resolve(cache with { KeyFiles = ["nope.lock"] }, Variables, dir.Path).Key);
    }
}
