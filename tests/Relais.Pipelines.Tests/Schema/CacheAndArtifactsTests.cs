using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Schema;
using static Relais.Pipelines.Tests.Schema.SchemaTestKit;

namespace Relais.Pipelines.Tests.Schema;

/// <summary><c>cache</c> (one or up to four, key rules) and <c>artifacts</c> (with reports), images and services.</summary>
public sealed class CacheAndArtifactsTests
{
    [Theory]
    [InlineData("cache: { key: $CI_COMMIT_REF_SLUG, paths: [vendor/], policy: pull, when: always, unprotect: true }")]
    [InlineData("cache: { key: { files: [Gemfile.lock, package.json], prefix: deps }, paths: [vendor/] }")]
    [InlineData("cache: { key: { files_commits: [yarn.lock] }, fallback_keys: [main, default] }")]
    [InlineData("cache: { policy: $CACHE_POLICY }")]
    [InlineData("cache: [{ key: a }, { key: b }, { key: c }, { key: d }]")]
    [InlineData("cache: []")]
    public void Cache_takes_one_hash_or_a_list(string body) => Valid("job:\n  script: x\n  " + body + "\n");

    [Theory]
    [InlineData("cache: [{ key: a }, { key: b }, { key: c }, { key: d }, { key: e }]", "jobs:job:cache: has 5 items; at most 4 are allowed")]
    [InlineData("cache: { key: a/b }", "jobs:job:cache:key: `a/b` must not contain `/`")]
    [InlineData("cache: { key: a%2Fb }", "jobs:job:cache:key: `a%2Fb` must not contain `/` (written `%2F`)")]
    [InlineData("cache: { key: . }", "jobs:job:cache:key: `.` is not a usable cache key; it must not be empty or only dots")]
    [InlineData("cache: { key: '%2E%2E' }", "jobs:job:cache:key: `%2E%2E` is not a usable cache key")]
    [InlineData("cache: { key: { files: [a, b, c, d, e, f, g, h, i, j, k] } }", "jobs:job:cache:key:files: has 11 items; at most 10 are allowed")]
    [InlineData("cache: { key: { files_commits: [a, b, c] } }", "jobs:job:cache:key:files_commits: has 3 items; at most 2 are allowed")]
    [InlineData("cache: { policy: pull-only }", "jobs:job:cache:policy: `pull-only` is not one of pull-push, pull, push, or a `$VARIABLE`")]
    [InlineData("cache: { fallback_keys: [a, b, c, d, e, f] }", "jobs:job:cache:fallback_keys: has 6 items; at most 5 are allowed")]
    [InlineData("cache: { key: a, path: [x] }", "jobs:job:cache: unknown keyword `path` (did you mean `paths`?)")]
    public void Cache_mistakes(string body, string message) =>
        Assert.StartsWith(message, OneError("job:\n  script: x\n  " + body + "\n").Message, StringComparison.Ordinal);

    [Fact]
    public void More_than_two_key_files_is_a_warning_about_a_gitlab_feature_flag()
    {
        var diagnostics = Validate("job:\n  script: x\n  cache: { key: { files: [a, b, c] } }\n");
        var warning = Assert.Single(diagnostics);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("increase_ci_cache_key_files_limit", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Artifacts_when_names_the_allowed_values()
    {
        OneError("build:\n  script: x\n  artifacts:\n    when: sometimes\n", SchemaCodes.BadValue,
            "jobs:build:artifacts:when: `sometimes` is not one of on_success, on_failure, always");
    }

    [Theory]
    [InlineData("artifacts: { paths: [dist/], exclude: ['dist/**/*.map'], name: $CI_JOB_NAME, expose_as: build, untracked: false, expire_in: never }")]
    [InlineData("artifacts: { access: maintainer }")]
    [InlineData("artifacts: { reports: { junit: [a.xml, b.xml], dotenv: build.env, coverage_report: { coverage_format: jacoco, path: j.xml } } }")]
    [InlineData("artifacts:")]
    public void Artifacts_take_their_keywords(string body) => Valid("job:\n  script: x\n  " + body + "\n");

    [Theory]
    [InlineData("artifacts: { paths: [] }", SchemaCodes.BadValue, "jobs:job:artifacts:paths: must not be an empty list")]
    [InlineData("artifacts: { access: all, public: true }", SchemaCodes.ConflictingKeys, "`access` and `public` cannot be used together")]
    [InlineData("artifacts: { reports: { browser_performance: [a, b] } }", SchemaCodes.WrongType, "browser_performance: must be a string")]
    [InlineData("artifacts: { reports: { coverage_report: { coverage_format: lcov } } }", SchemaCodes.BadValue, "`lcov` is not one of cobertura, jacoco")]
    [InlineData("artifacts: { reports: { performance: p.json } }", SchemaCodes.UnknownKey, "it was renamed `browser_performance`")]
    [InlineData("artifacts: { reports: { junitt: a.xml } }", SchemaCodes.UnknownKey, "(did you mean `junit`?)")]
    public void Artifacts_mistakes(string body, string code, string text) => HasError("job:\n  script: x\n  " + body + "\n", code, text);

    [Theory]
    [InlineData("image: { name: ruby:3, entrypoint: [''], pull_policy: [always, if-not-present], docker: { platform: linux/arm64, user: '1000' } }")]
    [InlineData("image: { name: ruby:3, kubernetes: { user: 1001 } }")]
    [InlineData("services: [postgres:16, { name: redis:7, alias: cache, command: [redis-server], variables: { A: b } }]")]
    public void Images_and_services_take_their_forms(string body) => Valid("job:\n  script: x\n  " + body + "\n");

    [Theory]
    [InlineData("image: ''", SchemaCodes.BadValue, "jobs:job:image: must not be empty")]
    [InlineData("image: { name: ruby, pull_policy: sometimes }", SchemaCodes.BadValue, "`sometimes` is not one of always, never, if-not-present")]
    [InlineData("image: { name: ruby, pull_policy: [always, always] }", SchemaCodes.BadValue, "pull_policy[1]: repeats item 0")]
    [InlineData("image: { name: ruby, docker: { user: '' } }", SchemaCodes.BadValue, "image:docker:user: must not be empty")]
    [InlineData("services: postgres", SchemaCodes.WrongType, "jobs:job:services: must be a list of services")]
    [InlineData("services: [{ name: pg, alias: '' }]", SchemaCodes.BadValue, "services[0]:alias: must not be empty")]
    public void Image_and_service_mistakes(string body, string code, string text) => HasError("job:\n  script: x\n  " + body + "\n", code, text);
}
