using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Compilation;

/// <summary>
/// The merged configuration split into its global keywords and its jobs (hidden templates included),
/// in the order they were written. Values of job keys that are not hashes are reported here.
/// </summary>
internal sealed class ConfigDocument
{
    /// <summary>Top-level keywords that are not jobs.</summary>
    public static readonly IReadOnlySet<string> GlobalKeywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "default", "include", "stages", "variables", "workflow", "spec",
        "image", "services", "cache", "before_script", "after_script",
    };

    private ConfigDocument(YamlMapping document, Dictionary<string, YamlEntry> jobs)
    {
        Document = document;
        Jobs = jobs;
    }

    public YamlMapping Document { get; }

    /// <summary>Jobs and hidden templates (names starting with <c>.</c>) whose value is a hash, in written order.</summary>
    public Dictionary<string, YamlEntry> Jobs { get; }

    public YamlMapping? Workflow => Document["workflow"].Map();

    public static ConfigDocument Read(YamlMapping document, DiagnosticBag diagnostics)
    {
        var jobs = new Dictionary<string, YamlEntry>(StringComparer.Ordinal);
        foreach (var entry in document.Entries)
        {
            if (GlobalKeywords.Contains(entry.Key))
            {
                if (entry.Key == "spec")
                {
                    diagnostics.Error("spec-placement", entry.KeyLocation,
                        "`spec:` belongs in a header document of its own, followed by `---` and the configuration");
                }

                continue;
            }

            if (entry.Value is YamlMapping)
            {
                jobs[entry.Key] = entry;
            }
            else if (!IsHidden(entry.Key))
            {
                diagnostics.Error("job-not-a-hash", entry.KeyLocation,
                    $"jobs:{entry.Key}: a job must be a hash of keywords (such as `script:`), but this is {entry.Value.KindName}; " +
                    $"`{entry.Key}` is not a global keyword either");
            }
        }

        return new ConfigDocument(document, jobs);
    }

    public static bool IsHidden(string name) => name.StartsWith('.');
}
