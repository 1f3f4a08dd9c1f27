using System.Runtime.CompilerServices;
using Relais.Pipelines.Sources;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Includes;

/// <summary>One file an include entry brings in: where it came from (for nested local includes), and its inputs.</summary>
internal sealed record IncludedFile(string Key, YamlFile File, IConfigSource Source, IReadOnlyDictionary<string, YamlNode>? Inputs)
{
    /// <summary>A key naming a file within one source, for caching and cycle detection.</summary>
    public static string KeyOf(IConfigSource source, string path) => RuntimeHelpers.GetHashCode(source) + ":" + path;
}
