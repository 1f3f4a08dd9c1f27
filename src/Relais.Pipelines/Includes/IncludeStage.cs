using Relais.Pipelines.Compilation;
using Relais.Pipelines.Evaluate;
using Relais.Pipelines.Inputs;
using Relais.Pipelines.Merge;
using Relais.Pipelines.Sources;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Includes;

/// <summary>
/// Include stage: expands <c>include</c> recursively and deep-merges the result — included files in
/// order, the including file's own keys on top. Local paths resolve from the repository root (of the
/// project the including file came from); <c>include:rules</c> decide per entry; <c>include:inputs</c>
/// fill the included file's <c>spec:inputs</c>. At most <see cref="MaxIncludes"/> includes; each file is
/// read and parsed once; a file that includes itself, directly or not, is reported.
/// </summary>
internal sealed class IncludeStage
{
    public const int MaxIncludes = 150;

    private readonly Compilation.CompilationState _compilation;
    private readonly RuleClauses _clauses;
    private readonly IncludeResolver _resolver;
    private readonly Stack<string> _chain = new();
    private int _count;

    public IncludeStage(Compilation.CompilationState compilation)
    {
        _compilation = compilation;
        _clauses = new RuleClauses(compilation);
        _resolver = new IncludeResolver(compilation);
    }

    /// <summary>The entry file with every include expanded and merged.</summary>
    public YamlMapping Run(string entryPath, YamlMapping entryBody) =>
        Expand(IncludedFile.KeyOf(_compilation.Request.Source, entryPath), entryBody, _compilation.Request.Source);

    private YamlMapping Expand(string key, YamlMapping body, IConfigSource source)
    {
        if (!body.TryGet("include", out var includeNode))
        {
            return body;
        }

        _chain.Push(key);
        var merged = new YamlMapping(body.Location, []);
        foreach (var item in Items(includeNode))
        {
            if (!Applies(item))
            {
                continue;
            }

            foreach (var file in _resolver.Resolve(item, source))
            {
                if (++_count > MaxIncludes)
                {
                    if (_count == MaxIncludes + 1)
                    {
                        _compilation.Diagnostics.Error("include-limit", item.Location,
                            $"include: more than {MaxIncludes} files are included; the limit is {MaxIncludes}");
                    }

                    break;
                }

                if (_chain.Contains(file.Key))
                {
                    _compilation.Diagnostics.Error("include-circular", item.Location,
                        $"include: `{file.File.Path}` includes itself (through {string.Join(" → ", _chain.Reverse().Append(file.Key))})");
                    continue;
                }

                var interpolated = InputInterpolator.Apply(file.File, file.Inputs, item.Location,
                    _compilation.Diagnostics, _compilation.PipelineScope.Lookup);
                if (interpolated is not null)
                {
                    merged = DeepMerge.Merge(merged, Expand(file.Key, interpolated, file.Source));
                }
            }
        }

        _chain.Pop();
        return DeepMerge.Merge(merged, body.Without("include"));
    }

    private static IEnumerable<YamlNode> Items(YamlNode include) =>
        include is YamlSequence seq ? seq.Items : [include];

    /// <summary><c>include:rules</c>: the first matching rule decides (<c>when: never</c> excludes); none matching excludes.</summary>
    private bool Applies(YamlNode item)
    {
        if (item is not YamlMapping map || map["rules"] is not YamlSequence rules)
        {
            return true;
        }

        var steps = new List<string>();
        for (var i = 0; i < rules.Items.Length; i++)
        {
            if (rules.Items[i] is YamlMapping rule && _clauses.Matches(rule, $"include:rules[{i}]", _compilation.PipelineScope, steps))
            {
                return rule["when"].Text() != "never";
            }
        }

        return false;
    }
}
