using Relais.Server.Storage;

namespace Relais.Server.Git;

/// <summary>
/// Where a project is cloned from: over HTTP (<c>https://host/group/app.git</c>) and, when the server runs git over
/// SSH, over SSH (<c>ssh://git@host:2222/group/app.git</c>; null when SSH is off).
/// </summary>
public sealed class CloneUrls(string externalUrl, string? sshUrlBase)
{
    /// <summary>The web address of the server, without a trailing slash.</summary>
    public string ExternalUrl { get; } = externalUrl.TrimEnd('/');

    public string Web(ProjectRecord project) => ExternalUrl + "/" + project.Path;

    public string Http(ProjectRecord project) => Web(project) + ".git";

    public string? Ssh(ProjectRecord project) => sshUrlBase is null ? null : sshUrlBase.TrimEnd('/') + "/" + project.Path + ".git";
}
