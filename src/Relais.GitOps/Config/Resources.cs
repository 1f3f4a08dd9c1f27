using Relais.GitOps.Policies;
using Relais.Pipelines.Yaml;

namespace Relais.GitOps.Config;

/// <summary>What every resource has: its kind, name, namespace and where it was written.</summary>
public abstract record GitOpsResource(string Kind, string Name, string Namespace, SourceLocation Location)
{
    /// <summary>The name references use: <c>namespace/name</c>.</summary>
    public string Key => Namespace + "/" + Name;

    /// <summary><c>metadata.annotations</c> (string values), e.g. <c>gitops.relais.dev/project</c> on a <c>Kustomization</c>.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>A reference to another resource (<c>sourceRef</c>, <c>imageRepositoryRef</c>, <c>secretRef</c>).</summary>
public sealed record ResourceRef(string Kind, string Name, string Namespace, SourceLocation Location)
{
    public string Key => Namespace + "/" + Name;
}

/// <summary>The git reference a <see cref="GitRepository"/> follows; Flux's order of precedence is commit, name, semver, tag, branch.</summary>
public sealed record GitReference(string? Branch, string? Tag, string? Semver, string? Name, string? Commit);

/// <summary><c>source.toolkit.fluxcd.io/v1</c> <c>GitRepository</c>.</summary>
public sealed record GitRepository(string Name, string Namespace, SourceLocation Location, string Url, GitReference? Ref,
    TimeSpan Interval, TimeSpan? Timeout, ResourceRef? SecretRef, bool Suspend)
    : GitOpsResource("GitRepository", Name, Namespace, Location);

/// <summary><c>image.toolkit.fluxcd.io</c> <c>ImageRepository</c>.</summary>
public sealed record ImageRepository(string Name, string Namespace, SourceLocation Location, string Image, TimeSpan Interval,
    ResourceRef? SecretRef, IReadOnlyList<string> ExclusionList, bool Insecure, string Provider, bool Suspend)
    : GitOpsResource("ImageRepository", Name, Namespace, Location);

/// <summary><c>image.toolkit.fluxcd.io</c> <c>ImagePolicy</c>, with its rule and tag filter built.</summary>
public sealed record ImagePolicy(string Name, string Namespace, SourceLocation Location, ResourceRef ImageRepositoryRef,
    ImagePolicyRule Rule, TagFilter Filter)
    : GitOpsResource("ImagePolicy", Name, Namespace, Location);

/// <summary><c>image.toolkit.fluxcd.io</c> <c>ImageUpdateAutomation</c> (Setters strategy).</summary>
public sealed record ImageUpdateAutomation(string Name, string Namespace, SourceLocation Location, ResourceRef SourceRef,
    TimeSpan Interval, string? CheckoutBranch, string? PushBranch, string? AuthorName, string AuthorEmail,
    string? MessageTemplate, string UpdatePath, string Strategy, bool Suspend)
    : GitOpsResource("ImageUpdateAutomation", Name, Namespace, Location)
{
    /// <summary>Whether commits get <c>[ci skip]</c> (the default; the annotation <c>gitops.relais.dev/ci-skip: "false"</c> turns it off).</summary>
    public bool CiSkip { get; init; } = true;
}

/// <summary><c>kustomize.toolkit.fluxcd.io/v1</c> <c>Kustomization</c>.</summary>
public sealed record Kustomization(string Name, string Namespace, SourceLocation Location, ResourceRef SourceRef, string Path,
    bool Prune, TimeSpan Interval, string? TargetNamespace, bool Suspend)
    : GitOpsResource("Kustomization", Name, Namespace, Location)
{
    /// <summary><c>spec.timeout</c>: how long an apply may take to become healthy; Flux's default is the interval.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>
/// <c>gitops.relais.dev/v1</c> <c>SwarmStack</c> or <c>ComposeProject</c>: a compose file from a source,
/// deployed as a stack (or a Compose project) on a Docker host.
/// </summary>
public sealed record DockerDeployment(string Kind, string Name, string Namespace, SourceLocation Location, ResourceRef SourceRef,
    string Path, string DeploymentName, bool Prune, TimeSpan Interval, string? DockerHost, string? Environment,
    string? Project, bool Suspend)
    : GitOpsResource(Kind, Name, Namespace, Location)
{
    /// <summary><c>spec.timeout</c>: how long an apply may take to converge before it is rolled back; null for the agent's default.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary><c>v1</c> <c>Secret</c> from the secrets folder: <c>stringData</c> and decoded <c>data</c> merged.</summary>
public sealed record Secret(string Name, string Namespace, SourceLocation Location, IReadOnlyDictionary<string, string> Data)
    : GitOpsResource("Secret", Name, Namespace, Location);
