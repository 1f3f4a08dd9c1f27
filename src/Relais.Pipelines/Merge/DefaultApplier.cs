using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Merge;

/// <summary>
/// Applies <c>default:</c> (and the deprecated top-level <c>image</c>, <c>services</c>, <c>cache</c>,
/// <c>before_script</c>, <c>after_script</c>) to a job: a key the job does not set is taken whole from
/// the default — no merging — unless <c>inherit:default</c> says otherwise.
/// </summary>
public static class DefaultApplier
{
    /// <summary>The keys <c>default:</c> may set.</summary>
    public static readonly IReadOnlySet<string> DefaultableKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "after_script", "artifacts", "before_script", "cache", "hooks", "id_tokens", "image",
        "interruptible", "retry", "services", "tags", "timeout", "identity",
    };

    /// <summary>The deprecated global keywords that act as defaults.</summary>
    public static readonly IReadOnlySet<string> DeprecatedGlobals = new HashSet<string>(StringComparer.Ordinal)
    {
        "image", "services", "cache", "before_script", "after_script",
    };

    public static YamlMapping Apply(YamlMapping job, YamlMapping? defaults)
    {
        if (defaults is null || defaults.Count == 0)
        {
            return job;
        }

        var inherit = job["inherit"].Map()?["default"];
        if (inherit.Bool() == false)
        {
            return job;
        }

        var only = inherit is YamlSequence ? new HashSet<string>(inherit.Strings(), StringComparer.Ordinal) : null;
        var result = job;
        foreach (var entry in defaults.Entries)
        {
            if (only is not null && !only.Contains(entry.Key))
            {
                continue;
            }

            if (result[entry.Key].IsNullOrAbsent() && !entry.Value.IsNullOrAbsent())
            {
                result = result.With(entry.Key, entry.Value, entry.KeyLocation);
            }
        }

        return result;
    }

    /// <summary>The defaults in effect: the deprecated globals, overridden per key by <c>default:</c>.</summary>
    public static YamlMapping? Collect(YamlMapping document)
    {
        YamlMapping? result = null;
        foreach (var entry in document.Entries)
        {
            if (DeprecatedGlobals.Contains(entry.Key))
            {
                result = (result ?? new YamlMapping(entry.KeyLocation, [])).With(entry.Key, entry.Value, entry.KeyLocation);
            }
        }

        if (document["default"] is YamlMapping defaults)
        {
            foreach (var entry in defaults.Entries)
            {
                result = (result ?? new YamlMapping(defaults.Location, [])).With(entry.Key, entry.Value, entry.KeyLocation);
            }
        }

        return result;
    }
}
