using System.Text.RegularExpressions;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary>The textual forms GitLab's schema constrains, written as .NET regular expressions.</summary>
internal static partial class Patterns
{
    /// <summary>Somewhere a non-blank, a slash and a non-blank (<c>group/project</c>), or a <c>$VARIABLE</c>.</summary>
    [GeneratedRegex(@"\S/\S|\$\S")]
    public static partial Regex ProjectPath();

    [GeneratedRegex(@"\.ya?ml$")]
    public static partial Regex YamlFile();

    [GeneratedRegex(@"^https?://.+\.ya?ml$")]
    public static partial Regex RemoteYaml();

    [GeneratedRegex(@"^\w+://")]
    public static partial Regex AnyScheme();

    [GeneratedRegex(@"^https?://")]
    public static partial Regex HttpScheme();

    [GeneratedRegex(@"^sha256-[A-Za-z0-9+/]{43}=$")]
    public static partial Regex Integrity();

    [GeneratedRegex(@"^/.+/$", RegexOptions.Singleline)]
    public static partial Regex SlashedRegex();

    /// <summary>An environment URL: http(s), or starting with a variable (<c>$URL</c>, <c>${URL}</c>).</summary>
    [GeneratedRegex(@"^(https?://.+|\$\{?[A-Za-z_])")]
    public static partial Regex EnvironmentUrl();

    [GeneratedRegex(@"^[a-zA-Z_][a-zA-Z0-9_]*$")]
    public static partial Regex Identifier();

    [GeneratedRegex(@"^[a-zA-Z0-9_-]+$")]
    public static partial Regex InputName();

    [GeneratedRegex(@"^[a-zA-Z0-9_]+$")]
    public static partial Regex SecretName();

    /// <summary>A cache policy given through a variable, expanded when the job runs.</summary>
    [GeneratedRegex(@"^\$(\w{1,255}|\{\w{1,255}\})$")]
    public static partial Regex Variable();
}
