using System.Collections.Immutable;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Compilation;

/// <summary><c>stages</c>: as written (default build, test, deploy), always with <c>.pre</c> first and <c>.post</c> last.</summary>
internal static class Stages
{
    public static readonly ImmutableArray<string> Default = [".pre", "build", "test", "deploy", ".post"];

    public static ImmutableArray<string> Read(YamlMapping document)
    {
        if (!document.ContainsKey("stages"))
        {
            return Default;
        }

        var written = document["stages"].Strings().Where(s => s is not (".pre" or ".post")).Distinct(StringComparer.Ordinal);
        return [".pre", .. written, ".post"];
    }

    /// <summary>The stages as a user wrote them, for messages.</summary>
    public static string Describe(ImmutableArray<string> stages) =>
        string.Join(", ", stages.Where(s => s is not (".pre" or ".post")));
}
