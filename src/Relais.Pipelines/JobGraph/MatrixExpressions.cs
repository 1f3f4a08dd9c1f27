using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.JobGraph;

/// <summary>
/// Matrix expressions in <c>needs:parallel:matrix</c> (GitLab 18.6): <c>$[[ matrix.NAME ]]</c> stands for the
/// needing job's own value of its matrix variable <c>NAME</c>, so each instance of a matrix job needs its
/// counterpart (<c>deploy: [aws]</c> needs <c>build: [aws]</c>). A name the job's matrix does not have is
/// reported with GitLab's words.
/// </summary>
internal static partial class MatrixExpressions
{
    [GeneratedRegex(@"\$\[\[\s*matrix\.([a-zA-Z0-9_-]+)\s*\]\]", RegexOptions.CultureInvariant)]
    private static partial Regex Expression();

    /// <summary>The selector with every matrix expression replaced by <paramref name="values"/>; unknown names go to <paramref name="errors"/>.</summary>
    public static YamlSequence Interpolate(YamlSequence matrix, ImmutableArray<PlanVariable> values, List<string> errors) =>
        (YamlSequence)Visit(matrix, values, errors);

    private static YamlNode Visit(YamlNode node, ImmutableArray<PlanVariable> values, List<string> errors) => node switch
    {
        YamlScalar { Type: ScalarType.String } s when s.Value.Contains("$[[", StringComparison.Ordinal) =>
            YamlScalar.String(Replace(s.Value, values, errors), s.Location),
        YamlMapping map => new YamlMapping(map.Location, [.. map.Entries.Select(e => e with { Value = Visit(e.Value, values, errors) })]),
        YamlSequence seq => new YamlSequence(seq.Location, [.. seq.Items.Select(i => Visit(i, values, errors))]),
        _ => node,
    };

    private static string Replace(string text, ImmutableArray<PlanVariable> values, List<string> errors) =>
        Expression().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            foreach (var value in values)
            {
                if (value.Key == name)
                {
                    return value.Value;
                }
            }

            errors.Add($"'{name}' does not exist in matrix configuration");
            return match.Value;
        });
}
