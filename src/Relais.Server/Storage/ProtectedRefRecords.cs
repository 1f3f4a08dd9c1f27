namespace Relais.Server.Storage;

/// <summary>
/// A protected branch: a branch name or a wildcard pattern (<c>release/*</c>). Pipelines of matching branches get
/// the project's protected variables; pushes to them follow <see cref="Git.PushRules"/>. Access levels are GitLab's
/// numbers (0 no one, 30 developers and maintainers, 40 maintainers, 60 administrators); <see cref="Grants"/> adds
/// single users or deploy keys beside them.
/// </summary>
public sealed record ProtectedBranchRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    public string Name { get; init; } = "";

    public int PushAccessLevel { get; init; } = 40;

    public int MergeAccessLevel { get; init; } = 40;

    public int UnprotectAccessLevel { get; init; } = 40;

    public bool AllowForcePush { get; init; }

    public IReadOnlyList<ProtectedRefGrant> Grants { get; init; } = [];
}

/// <summary>A protected tag: a tag name or wildcard pattern, and who may create matching tags (GitLab's numbers, plus <see cref="Grants"/>).</summary>
public sealed record ProtectedTagRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    public string Name { get; init; } = "";

    public int CreateAccessLevel { get; init; } = 40;

    public IReadOnlyList<ProtectedRefGrant> Grants { get; init; } = [];
}

/// <summary>What a grant on a protected ref allows: GitLab's <c>push</c>, <c>merge</c>, <c>unprotect</c> (branches) and <c>create</c> (tags).</summary>
public static class ProtectedRefAction
{
    public const string Push = "push";
    public const string Merge = "merge";
    public const string Unprotect = "unprotect";
    public const string Create = "create";
}

/// <summary>One user or one deploy key allowed an <see cref="Action"/> on a protected ref, whatever their role.</summary>
public sealed record ProtectedRefGrant
{
    public long Id { get; init; }

    public string Action { get; init; } = ProtectedRefAction.Push;

    public long? UserId { get; init; }

    public long? DeployKeyId { get; init; }
}
