namespace Relais.Pipelines.Includes;

/// <summary>
/// An <c>include:component</c> address, <c>HOST/PROJECT/PATH/NAME@VERSION</c>: the server's host (with its port
/// when it has one, as <c>CI_SERVER_FQDN</c>), the project's full path, the component's name (the last segment)
/// and its version (a commit SHA, tag or branch). A component lives in its project at
/// <c>templates/NAME.yml</c> or <c>templates/NAME/template.yml</c>.
/// </summary>
internal sealed record ComponentAddress(string Host, string Project, string Name, string Version)
{
    /// <summary>The address's parts, or null when it is not <c>HOST/PROJECT/NAME@VERSION</c>.</summary>
    public static ComponentAddress? Parse(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return null;
        }

        var path = address[..at];
        var firstSlash = path.IndexOf('/', StringComparison.Ordinal);
        var lastSlash = path.LastIndexOf('/');
        if (firstSlash <= 0 || lastSlash <= firstSlash + 1 || lastSlash == path.Length - 1)
        {
            return null;
        }

        return new ComponentAddress(path[..firstSlash], path[(firstSlash + 1)..lastSlash], path[(lastSlash + 1)..], address[(at + 1)..]);
    }

    /// <summary>Where the component's file may be in its project, in the order they are tried.</summary>
    public IReadOnlyList<string> Files => [$"templates/{Name}.yml", $"templates/{Name}/template.yml"];
}
