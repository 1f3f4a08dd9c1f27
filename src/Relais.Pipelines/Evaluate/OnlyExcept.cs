using Relais.Pipelines.Compilation;
using Relais.Pipelines.Context;
using Relais.Pipelines.Expressions;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Evaluate;

/// <summary>
/// The legacy <c>only</c>/<c>except</c>. A policy is satisfied when every part it names holds: any of its
/// <c>refs</c>, any of its <c>variables</c> expressions, any of its <c>changes</c>, and <c>kubernetes: active</c>.
/// A job runs when <c>only</c> is satisfied and <c>except</c> is not. Without either (and without
/// <c>rules</c> or <c>workflow:rules</c>), GitLab's default is <c>only: [branches, tags]</c>.
/// </summary>
internal sealed class OnlyExcept(Compilation.CompilationState compilation, RuleClauses clauses)
{
    public Inclusion Evaluate(string job, YamlNode? only, YamlNode? except, bool defaultOnly, VariableScope scope, SourceLocation jobLocation)
    {
        var steps = compilation.Request.Explain ? new List<string>() : null;
        if (only is null && defaultOnly)
        {
            var ok = RefMatches("branches") || RefMatches("tags");
            steps?.Add($"no only/except/rules: GitLab's default `only: [branches, tags]` {(ok ? "holds" : "does not hold")} for this {RefKind()} pipeline");
            return new Inclusion(ok, ok ? "the default `only: [branches, tags]` holds" : "the default `only: [branches, tags]` does not hold (add rules to run in this pipeline)", steps is null ? [] : [.. steps], jobLocation);
        }

        if (only is not null && !Satisfied(job, "only", only, scope, steps))
        {
            return new Inclusion(false, "`only` does not hold", steps is null ? [] : [.. steps], only.Location);
        }

        if (except is not null && Satisfied(job, "except", except, scope, steps))
        {
            return new Inclusion(false, "`except` holds", steps is null ? [] : [.. steps], except.Location);
        }

        return new Inclusion(true, only is null ? "`except` does not hold" : "`only` holds" + (except is null ? "" : " and `except` does not"), steps is null ? [] : [.. steps], (only ?? except)?.Location ?? jobLocation);
    }

    private bool Satisfied(string job, string which, YamlNode policy, VariableScope scope, List<string>? steps)
    {
        var map = policy as YamlMapping;
        var refs = map is null ? policy.Strings() : map["refs"].Strings();
        ReportBadPatterns(job, which, refs, map is null ? policy.Location : map["refs"]?.Location ?? policy.Location);
        if ((map is null || map.ContainsKey("refs")) && !refs.Any(RefMatches))
        {
            steps?.Add($"{which}:refs: none of {string.Join(", ", refs)} matches {RefKind()} `{compilation.Context.Ref}` (source {compilation.Context.Source.ToName()})");
            return false;
        }

        if (refs.Length > 0)
        {
            steps?.Add($"{which}:refs: `{refs.First(RefMatches)}` matches {RefKind()} `{compilation.Context.Ref}`");
        }

        if (map?["variables"] is YamlSequence variables)
        {
            var any = false;
            foreach (var (expression, i) in variables.Items.Select((e, i) => (e, i)))
            {
                if (clauses.If(expression, $"jobs:{job}:{which}:variables[{i}]", scope, steps))
                {
                    any = true;
                    break;
                }
            }

            if (!any)
            {
                return false;
            }
        }

        if (map?["changes"] is { } changes && !clauses.Changes(changes, scope, steps))
        {
            return false;
        }

        if (map?["kubernetes"].Text() == "active" && !scope.IsDefined("CI_KUBERNETES_ACTIVE"))
        {
            steps?.Add($"{which}:kubernetes: no Kubernetes integration is active");
            return false;
        }

        return true;
    }

    /// <summary>A <c>/regex/</c> ref that RE2 (or the linear-time engine) does not take fails the pipeline, as in GitLab.</summary>
    private void ReportBadPatterns(string job, string which, IEnumerable<string> refs, SourceLocation location)
    {
        foreach (var pattern in refs)
        {
            if (pattern.StartsWith('/') && !CiRegex.TryParse(pattern, out _, out var error) && !error.StartsWith("not a `/pattern/flags`", StringComparison.Ordinal))
            {
                compilation.Diagnostics.Error("bad-regex", location, $"jobs:{job}:{which}:refs: invalid regular expression `{pattern}`: {error}");
            }
        }
    }

    private string RefKind() => compilation.Context.IsTag ? "tag" : "branch";

    /// <summary>A keyword (<c>branches</c>, <c>tags</c>, a pluralized source), a <c>/regex/</c>, or an exact ref name (<c>ref@project</c> allowed).</summary>
    private bool RefMatches(string pattern)
    {
        var c = compilation.Context;
        var isMergeRequest = c.Source == PipelineSource.MergeRequestEvent;
        switch (pattern)
        {
            case "branches":
                return !c.IsTag && !isMergeRequest;
            case "tags":
                return c.IsTag;
        }

        if (SourceKeyword(c.Source) == pattern)
        {
            return true;
        }

        if (isMergeRequest)
        {
            return false;
        }

        var at = pattern.IndexOf('@', StringComparison.Ordinal);
        if (at > 0 && !pattern.StartsWith('/'))
        {
            if (!string.Equals(pattern[(at + 1)..], c.ProjectPath, StringComparison.Ordinal))
            {
                return false;
            }

            pattern = pattern[..at];
        }

        if (pattern.StartsWith('/') && CiRegex.TryParse(pattern, out var regex, out _))
        {
            return regex.IsMatch(c.Ref);
        }

        return pattern == c.Ref;
    }

    private static string SourceKeyword(PipelineSource source) => source switch
    {
        PipelineSource.Push => "pushes",
        PipelineSource.Schedule => "schedules",
        PipelineSource.Trigger => "triggers",
        PipelineSource.Pipeline or PipelineSource.ParentPipeline => "pipelines",
        PipelineSource.MergeRequestEvent => "merge_requests",
        PipelineSource.ExternalPullRequestEvent => "external_pull_requests",
        _ => source.ToName(),
    };
}
