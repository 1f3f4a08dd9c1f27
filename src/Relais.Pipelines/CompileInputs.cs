using Relais.Pipelines.Yaml;

namespace Relais.Pipelines;

/// <summary>Values for <see cref="CompileRequest.Inputs"/> given as text (<c>relais plan --input NAME=VALUE</c>).</summary>
public static class CompileInputs
{
    /// <summary>Each text typed as YAML would type it (<c>3</c> a number, <c>true</c> a boolean), reported at <paramref name="origin"/>.</summary>
    public static IReadOnlyDictionary<string, YamlNode> FromText(IReadOnlyDictionary<string, string> texts, string origin)
    {
        var at = new SourceLocation(origin, 0, 0);
        return texts.ToDictionary(t => t.Key, YamlNode (t) => new YamlScalar(at, t.Value, ScalarResolver.Resolve(t.Value)), StringComparer.Ordinal);
    }
}
