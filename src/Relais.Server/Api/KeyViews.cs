using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>A user's SSH key as <c>GET /user/keys</c> lists it.</summary>
public sealed record SshKeyView(long Id, string Title, string Key, string? CreatedAt, string? ExpiresAt, string? LastUsedAt, string UsageType);

/// <summary>A key with its owner (<c>GET /keys/:id</c>, <c>GET /keys?fingerprint=</c>); a deploy key also lists the projects it is enabled on.</summary>
public sealed record SshKeyWithUserView(
    long Id, string Title, string Key, string? CreatedAt, string? ExpiresAt, string? LastUsedAt, string UsageType, UserView? User,
    IReadOnlyList<DeployKeyProjectView>? DeployKeysProjects);

/// <summary>One project a deploy key is enabled on.</summary>
public sealed record DeployKeyProjectView(long DeployKeyId, long ProjectId, bool CanPush, string? CreatedAt);

/// <summary>A deploy key on a project (<c>GET /projects/:id/deploy_keys</c>).</summary>
public sealed record DeployKeyView(long Id, string Title, string Key, string Fingerprint, string FingerprintSha256, string? CreatedAt, string? ExpiresAt, bool CanPush);

/// <summary>A deploy key as an administrator lists them all (<c>GET /deploy_keys</c>).</summary>
public sealed record InstanceDeployKeyView(
    long Id, string Title, string Key, string Fingerprint, string FingerprintSha256, string? CreatedAt, string? ExpiresAt,
    IReadOnlyList<KeyProjectView> ProjectsWithWriteAccess, IReadOnlyList<KeyProjectView> ProjectsWithReadonlyAccess);

/// <summary>The few fields of a project that <c>GET /deploy_keys</c> lists.</summary>
public sealed record KeyProjectView(long Id, string Name, string Path, string PathWithNamespace, string? CreatedAt);

/// <summary>Builds the key views from stored rows.</summary>
internal static class KeyViews
{
    public static SshKeyView Key(SshKeyRecord k) => new(k.Id, k.Title, k.Key, ApiJson.Time(k.CreatedAt), ApiJson.Time(k.ExpiresAt), null, k.UsageType);

    public static SshKeyWithUserView WithUser(SshKeyRecord k, UserView? user, IReadOnlyList<DeployKeyProjectRecord>? projects) => new(
        k.Id, k.Title, k.Key, ApiJson.Time(k.CreatedAt), ApiJson.Time(k.ExpiresAt), null, k.UsageType, user,
        projects?.Select(p => new DeployKeyProjectView(p.DeployKeyId, p.ProjectId, p.CanPush, ApiJson.Time(p.CreatedAt))).ToList());

    public static DeployKeyView Deploy(SshKeyRecord k, bool canPush) =>
        new(k.Id, k.Title, k.Key, k.FingerprintMd5, k.FingerprintSha256, ApiJson.Time(k.CreatedAt), ApiJson.Time(k.ExpiresAt), canPush);

    public static KeyProjectView Project(ProjectRecord p) => new(p.Id, p.Name, p.Name, p.Path, ApiJson.Time(p.CreatedAt));
}
