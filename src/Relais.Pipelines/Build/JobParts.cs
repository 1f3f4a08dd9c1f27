using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Build;

/// <summary>Reads the structured job keywords (variables, cache, artifacts, environment, retry, trigger) into plan values;
/// <see cref="ImageParts"/> reads image and services.</summary>
internal static class JobParts
{
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
            EnvironmentKubernetes(m["kubernetes"].Map())),
        _ => null,
    };

    private static EnvironmentKubernetesPlan? EnvironmentKubernetes(YamlMapping? m) => m is null ? null : new(
        m["agent"].Text(),
        m["namespace"].Text(),
        m["flux_resource_path"].Text(),
        m["managed_resources"].Map()?["enabled"].Bool(),
        m["dashboard"].Map()?["namespace"].Text(),
        m["dashboard"].Map()?["flux_resource_path"].Text());

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
        YamlScalar s when s.Text() is { } project => new TriggerPlan(project, null, null, [], Written(node)),
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
            Written(node)),
        _ => null,
    };

    /// <summary>A value as written, in JSON (compact, default escaping: the form the runner payload carries).</summary>
    public static WrittenValue Written(YamlNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            YamlJson.Write(writer, node);
        }

        return new WrittenValue(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
