using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Merge;

/// <summary>
/// Resolves <c>extends</c>: each job becomes the deep merge of its parents (in order, later parents over
/// earlier) with its own keys on top; hashes merge, lists and scalars are replaced. Parents may be
/// hidden templates or other jobs, and may extend further: a chain may be <see cref="MaxNesting"/> levels
/// long (the job and 10 ancestors). Missing parents, circular and too deep chains are errors.
/// </summary>
public sealed class ExtendsResolver
{
    public const int MaxNesting = 11;

    private readonly IReadOnlyDictionary<string, YamlEntry> _entries;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, (YamlMapping Job, int Depth)> _resolved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);

    private ExtendsResolver(IReadOnlyDictionary<string, YamlEntry> entries, DiagnosticBag diagnostics)
    {
        _entries = entries;
        _diagnostics = diagnostics;
    }

    /// <summary>Resolves every job and template in <paramref name="entries"/> (name → entry whose value is a hash).</summary>
    public static Dictionary<string, YamlMapping> ResolveAll(IReadOnlyDictionary<string, YamlEntry> entries, DiagnosticBag diagnostics)
    {
        var resolver = new ExtendsResolver(entries, diagnostics);
        var result = new Dictionary<string, YamlMapping>(entries.Count, StringComparer.Ordinal);
        foreach (var name in entries.Keys)
        {
            result[name] = resolver.Resolve(name).Job;
        }

        return result;
    }

    /// <summary>The merged job, and how many levels its longest chain of parents has (1 without extends).</summary>
    private (YamlMapping Job, int Depth) Resolve(string name)
    {
        if (_resolved.TryGetValue(name, out var done))
        {
            return done;
        }

        var job = (YamlMapping)_entries[name].Value;
        if (!job.TryGet("extends", out var extendsNode))
        {
            return _resolved[name] = (job, 1);
        }

        var merged = new YamlMapping(job.Location, []);
        var depth = 1;
        _inProgress.Add(name);
        foreach (var parentName in extendsNode.Strings(0))
        {
            if (Parent(name, parentName, extendsNode) is { } parent)
            {
                merged = DeepMerge.Merge(merged, parent.Job);
                depth = Math.Max(depth, parent.Depth + 1);
            }
        }

        _inProgress.Remove(name);
        if (depth > MaxNesting && !_entries[name].Key.StartsWith('.'))
        {
            _diagnostics.Error("extends-too-deep", extendsNode.Location,
                $"jobs:{name}:extends: the chain of `extends` is {depth} levels deep; at most {MaxNesting} (a job and {MaxNesting - 1} ancestors) are allowed");
        }

        return _resolved[name] = (DeepMerge.Merge(merged, job.Without("extends")).Without("extends"), depth);
    }

    private (YamlMapping Job, int Depth)? Parent(string name, string parentName, YamlNode extendsNode)
    {
        if (!_entries.ContainsKey(parentName))
        {
            _diagnostics.Error("extends-unknown", extendsNode.Location,
                $"jobs:{name}:extends: `{parentName}` is not defined (no job or template of that name)");
            return null;
        }

        if (_inProgress.Contains(parentName))
        {
            _diagnostics.Error("extends-circular", extendsNode.Location,
                $"jobs:{name}:extends: circular `extends` — `{parentName}` extends, through its parents, `{name}` again");
            return null;
        }

        return Resolve(parentName);
    }
}
