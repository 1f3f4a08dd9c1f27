using System.Collections.Immutable;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Build;

/// <summary>Reads the structured job keywords (image, services, cache, artifacts, environment, retry, trigger) into plan values.</summary>
internal static class JobParts
{
    public static ImagePlan? Image(YamlNode? node) => node switch
    {
        YamlScalar s when s.Text() is { } name => new ImagePlan(name, PullPolicy: []),
        YamlMapping m when m["name"].Text() is { } name => new ImagePlan(
            name,
            m.ContainsKey("entrypoint") ? m["entrypoint"].Strings() : null,
            m["pull_policy"].Strings(),
            ExecutorOptions(m),
            m["ports"]),
        _ => null,
    };

    public static ImmutableArray<ServicePlan> Services(YamlNode? node) =>
        node is YamlSequence seq ? [.. seq.Items.Select(Service).OfType<ServicePlan>()] : [];

    private static ServicePlan? Service(YamlNode node) => node switch
    {
        YamlScalar s when s.Text() is { } name => new ServicePlan(name, Variables: [], PullPolicy: []),
        YamlMapping m when m["name"].Text() is { } name => new ServicePlan(
            name,
            m["alias"].Text(),
            m.ContainsKey("entrypoint") ? m["entrypoint"].Strings() : null,
            m.ContainsKey("command") ? m["command"].Strings() : null,
            Variables(m["variables"]),
            m["pull_policy"].Strings(),
            ExecutorOptions(m),
            m["ports"]),
        _ => null,
    };

    /// <summary><c>docker:</c> and <c>kubernetes:</c> of an image or service, kept as written for the payload's <c>executor_opts</c>.</summary>
    private static YamlMapping? ExecutorOptions(YamlMapping m)
    {
        var entries = m.Entries.Where(e => e.Key is "docker" or "kubernetes").ToImmutableArray();
        return entries.IsEmpty ? null : new YamlMapping(m.Location, entries);
    }

    /// <summary>A <c>variables:</c> hash: <c>KEY: value</c> or <c>KEY: {value, description, expand, options}</c>.</summary>
    public static ImmutableArray<PlanVariable> Variables(YamlNode? node)
    {
        if (node is not YamlMapping map)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<PlanVariable>(map.Count);
        foreach (var e in map.Entries)
        {
            result.Add(e.Value is YamlMapping full
                ? new PlanVariable(e.Key, full["value"].Text() ?? "", full["expand"].Bool() == false, full["description"].Text())
                : new PlanVariable(e.Key, e.Value.Text() ?? ""));
        }

        return result.MoveToImmutable();
    }

    public static ImmutableArray<CachePlan> Cache(YamlNode? node) => node switch
    {
        YamlMapping m => Cache(m) is { } one ? [one] : [],
        YamlSequence seq => [.. seq.Items.OfType<YamlMapping>().Select(Cache).OfType<CachePlan>()],
        _ => [],
    };

    private static CachePlan? Cache(YamlMapping m)
    {
        var keyNode = m["key"];
        var key = keyNode switch
        {
            YamlMapping k => new CacheKeyPlan(null, k["files"].Strings(), k["prefix"].Text()),
            _ when keyNode.Text() is { } text => new CacheKeyPlan(text, []),
            _ => CacheKeyPlan.Default,
        };
        return new CachePlan(
            key,
            m["paths"].Strings(),
            m["policy"].Text() ?? "pull-push",
            m["when"].Text() ?? "on_success",
            m["untracked"].Bool() ?? false,
            m["fallback_keys"].Strings(),
            m["unprotect"].Bool() ?? false);
    }

    public static ArtifactsPlan? Artifacts(YamlNode? node)
    {
        if (node is not YamlMapping m)
        {
            return null;
        }

        var reports = m["reports"].Map()?.Entries
            .Where(e => e.Value is not YamlMapping)
            .ToImmutableDictionary(e => e.Key, e => e.Value.Strings(), StringComparer.Ordinal);
        var coverage = m["reports"].Map()?["coverage_report"].Map();
        if (coverage?["path"].Text() is { } coveragePath)
        {
            reports = (reports ?? ImmutableDictionary<string, ImmutableArray<string>>.Empty.WithComparers(StringComparer.Ordinal))
                .SetItem(coverage["coverage_format"].Text() ?? "cobertura", [coveragePath]);
        }

        return new ArtifactsPlan(
            m["name"].Text(),
            m["paths"].Strings(),
            m["exclude"].Strings(),
            m["untracked"].Bool() ?? false,
            m["when"].Text() ?? "on_success",
            m["expire_in"].Text(),
            m["expose_as"].Text(),
            reports,
            m["public"].Bool(),
            m["access"].Text());
    }

    public static EnvironmentPlan? Environment(YamlNode? node) => node switch
    {
        YamlScalar s when s.Text() is { } name => new EnvironmentPlan(name),
        YamlMapping m when m["name"].Text() is { } name => new EnvironmentPlan(
            name,
            m["url"].Text(),
            m["action"].Text() ?? "start",
            m["on_stop"].Text(),
            m["auto_stop_in"].Text(),
            m["deployment_tier"].Text(),
            m["kubernetes"]),
        _ => null,
    };

    public static RetryPlan Retry(YamlNode? node) => node switch
    {
        YamlScalar s when s.AsInt() is { } max => new RetryPlan((int)max, ["always"], []),
        YamlMapping m => new RetryPlan(
            (int)(m["max"].Int() ?? 0),
            m.ContainsKey("when") ? m["when"].Strings() : m.ContainsKey("exit_codes") ? [] : ["always"],
            m["exit_codes"].Ints()),
        _ => RetryPlan.None,
    };

    public static TriggerPlan? Trigger(YamlNode? node) => node switch
    {
        YamlScalar s when s.Text() is { } project => new TriggerPlan(project, null, null, [], node),
        YamlMapping m => new TriggerPlan(
            m["project"].Text(),
            m["branch"].Text(),
            m["strategy"].Text(),
            m["include"] switch
            {
                YamlScalar i => i.Strings(),
                YamlSequence list => [.. list.Items.Select(i => i is YamlMapping im ? im["local"].Text() ?? im["file"].Text() : i.Text()).OfType<string>()],
                YamlMapping im => im["local"].Text() is { } local ? [local] : [],
                _ => [],
            },
            node),
        _ => null,
    };
}
