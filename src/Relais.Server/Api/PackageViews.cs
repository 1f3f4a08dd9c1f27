using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>Packages and package files in GitLab's shape (<c>GET /projects/:id/packages</c>, <c>…/package_files</c>).</summary>
internal static class PackageViews
{
    public static Dictionary<string, object?> Package(PackageRecord p, ProjectRecord project, string externalUrl)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(project);
        return new()
        {
            ["id"] = p.Id,
            ["name"] = p.Name,
            ["version"] = p.Version,
            ["package_type"] = p.PackageType,
            ["status"] = p.Status,
            ["_links"] = new Dictionary<string, string>
            {
                ["web_path"] = $"/{project.Path}/-/packages/{p.Id}",
                ["delete_api_path"] = $"{externalUrl}/api/v4/projects/{project.Id}/packages/{p.Id}",
            },
            ["created_at"] = ApiJson.Time(p.CreatedAt),
            ["last_downloaded_at"] = null,
            ["pipeline"] = null,
            ["pipelines"] = Array.Empty<object>(),
            ["tags"] = Array.Empty<object>(),
        };
    }

    public static Dictionary<string, object?> File(PackageFileRecord f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new()
        {
            ["id"] = f.Id,
            ["package_id"] = f.PackageId,
            ["created_at"] = ApiJson.Time(f.CreatedAt),
            ["file_name"] = f.FileName,
            ["size"] = f.Size,
            ["file_md5"] = null,
            ["file_sha1"] = null,
            ["file_sha256"] = f.FileSha256,
            ["pipelines"] = Array.Empty<object>(),
        };
    }
}
