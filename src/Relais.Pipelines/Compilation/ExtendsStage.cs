using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Merge;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Compilation;

/// <summary>
/// Merge stage, first step: resolves <c>extends</c> for every job and template of the included document,
/// before <c>!reference</c> tags are resolved — GitLab's order (includes, then <c>extends</c>, then
/// references), so a reference sees the keys a template got from its parents, and a reference a parent
/// carries is resolved in each job that inherits it.
/// </summary>
internal static class ExtendsStage
{
    public static YamlMapping Apply(YamlMapping document, DiagnosticBag diagnostics)
    {
        var jobs = new Dictionary<string, YamlEntry>(StringComparer.Ordinal);
        foreach (var entry in document.Entries)
        {
            if (!ConfigDocument.GlobalKeywords.Contains(entry.Key) && entry.Value is YamlMapping)
            {
                jobs[entry.Key] = entry;
            }
        }

        if (!jobs.Values.Any(e => ((YamlMapping)e.Value).ContainsKey("extends")))
        {
            return document;
        }

        var merged = ExtendsResolver.ResolveAll(jobs, diagnostics);
        return new YamlMapping(document.Location, [.. document.Entries.Select(e =>
            merged.TryGetValue(e.Key, out var job) && jobs.ContainsKey(e.Key) ? e with { Value = job } : e)]);
    }
}
