using Relais.Pipelines.Compilation;
using Relais.Pipelines.Sources;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Evaluate;

/// <summary>
/// The clauses a rule may hold — <c>if</c>, <c>changes</c>, <c>exists</c> — shared by job rules,
/// <c>workflow:rules</c> and <c>include:rules</c>. A rule matches when every clause it has is true.
/// Each clause looked at leaves a line in <c>steps</c> with the values it compared.
/// </summary>
internal sealed class RuleClauses(Compilation.CompilationState compilation)
{
    public bool Matches(YamlMapping rule, string path, VariableScope scope, List<string>? steps)
    {
        if (rule.TryGet("if", out var condition) && !If(condition, path + ":if", scope, steps))
        {
            return false;
        }

        if (rule.TryGet("changes", out var changes) && !Changes(changes, scope, steps))
        {
            return false;
        }

        return !rule.TryGet("exists", out var exists) || Exists(exists, scope, steps);
    }

    public bool If(YamlNode node, string path, VariableScope scope, List<string>? steps)
    {
        var text = node.Text() ?? "";
        var expression = compilation.Expression(text, out var error);
        if (expression is null)
        {
            compilation.Diagnostics.Error("bad-expression", node.Location, $"{path}: invalid expression `{text}`: {error}");
            steps?.Add($"if `{text}` does not parse: {error}");
            return false;
        }

        if (steps is null)
        {
            return expression.Evaluate(scope.Lookup);
        }

        var (result, detail) = Support.Evaluate(expression, scope.Lookup);
        steps.Add($"if `{text}` is {(result ? "true" : "false")}" + (detail.Count > 0 ? ": " + string.Join("; ", detail) : ""));
        return result;
    }

    /// <summary>Only/except use this too, with the same "no diff means true" rule.</summary>
    public bool Changes(YamlNode node, VariableScope scope, List<string>? steps)
    {
        var patterns = node is YamlMapping map ? map["paths"].Strings() : node.Strings();
        var compareTo = node is YamlMapping m ? m["compare_to"].Text() : null;
        var changed = compareTo is null
            ? compilation.Context.ChangedFiles
            : compilation.Context.ChangedFilesComparedTo?.Invoke(scope.Expand(compareTo));
        if (changed is null)
        {
            steps?.Add(compareTo is null
                ? "changes: true, because this pipeline has no earlier commit to compare with (new ref, tag, or not a push)"
                : $"changes: true, because `{compareTo}` cannot be compared with");
            return true;
        }

        foreach (var pattern in patterns.Select(scope.Expand))
        {
            var matcher = compilation.Glob(pattern);
            var hit = changed.FirstOrDefault(matcher);
            if (hit is not null)
            {
                steps?.Add($"changes: `{hit}` changed and matches `{pattern}`");
                return true;
            }
        }

        steps?.Add($"changes: none of the {changed.Count} changed file(s) match {string.Join(", ", patterns.Select(p => "`" + p + "`"))}");
        return false;
    }

    public bool Exists(YamlNode node, VariableScope scope, List<string>? steps)
    {
        var patterns = node is YamlMapping map ? map["paths"].Strings() : node.Strings();
        IConfigSource? source = compilation.Request.Source;
        IReadOnlyList<string>? files = compilation.Files;
        if (node is YamlMapping { } m && m["project"].Text() is { } project)
        {
            source = compilation.Request.Source.OpenProject(scope.Expand(project), m["ref"].Text() is { } r ? scope.Expand(r) : null);
            files = source?.ListFiles();
        }

        if (files is null)
        {
            steps?.Add("exists: false, because the project it names cannot be read");
            return false;
        }

        foreach (var pattern in patterns.Select(p => scope.Expand(p).TrimStart('/')))
        {
            var matcher = compilation.Glob(pattern);
            var hit = files.FirstOrDefault(matcher);
            if (hit is not null)
            {
                steps?.Add($"exists: `{hit}` matches `{pattern}`");
                return true;
            }
        }

        steps?.Add($"exists: no file matches {string.Join(", ", patterns.Select(p => "`" + p + "`"))}");
        return false;
    }
}
