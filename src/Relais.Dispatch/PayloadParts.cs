using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Relais.Pipelines.Plan;
using Relais.Protocol.Jobs;

namespace Relais.Dispatch;

/// <summary>The payload shapes of image, services, cache and artifacts, as GitLab sends them.</summary>
internal static class PayloadParts
{
    public static JobImage? Image(ImagePlan? image) => image is null ? null : new JobImage
    {
        Name = image.Name,
        Entrypoint = image.Entrypoint,
        Ports = Ports(image.Ports),
        ExecutorOpts = ExecutorOptions(image.Docker, image.Kubernetes),
        PullPolicy = image.PullPolicy.IsDefaultOrEmpty ? null : image.PullPolicy,
    };

    public static JobService Service(ServicePlan service) => new()
    {
        Name = service.Name,
        Alias = service.Alias,
        Entrypoint = service.Entrypoint,
        Command = service.Command,
        Ports = Ports(service.Ports),
        Variables = service.Variables.IsDefaultOrEmpty ? [] : [.. service.Variables.Select(v => new ServiceVariable { Key = v.Key, Value = v.Value })],
        ExecutorOpts = ExecutorOptions(service.Docker, service.Kubernetes),
        PullPolicy = service.PullPolicy.IsDefaultOrEmpty ? null : service.PullPolicy,
    };

    /// <summary>GitLab appends <c>-protected</c> or <c>-non_protected</c> to cache keys (and fallback keys) unless <c>unprotect</c>.</summary>
    public static IReadOnlyList<JobCache> Caches(IEnumerable<CachePlan> caches, bool protectedRef) =>
    [
        .. caches.Select(c =>
        {
            var suffix = c.Unprotect ? "" : protectedRef ? "-protected" : "-non_protected";
            return new JobCache
            {
                Key = c.Key.Value is { } literal ? literal + suffix : null,
                KeyFiles = c.Key.Files.IsDefaultOrEmpty ? null : c.Key.Files,
                KeyPrefix = c.Key.Prefix,
                Untracked = c.Untracked,
                Paths = c.Paths,
                Policy = c.Policy,
                When = c.When,
                FallbackKeys = c.FallbackKeys.IsDefaultOrEmpty ? [] : [.. c.FallbackKeys.Select(k => k + suffix)],
            };
        }),
    ];

    public static IReadOnlyList<JobArtifact> Artifacts(ArtifactsPlan? artifacts)
    {
        if (artifacts is null)
        {
            return [];
        }

        var list = new List<JobArtifact>();
        if (!artifacts.Paths.IsDefaultOrEmpty || artifacts.Untracked)
        {
            list.Add(new JobArtifact
            {
                Name = artifacts.Name ?? "artifacts",
                Untracked = artifacts.Untracked,
                Paths = artifacts.Paths,
                Exclude = artifacts.Exclude.IsDefault ? [] : artifacts.Exclude,
                When = artifacts.When,
                ExpireIn = artifacts.ExpireIn,
                ArtifactType = ArtifactTypes.Archive,
                ArtifactFormat = ArtifactFormats.Zip,
            });
        }

        foreach (var (type, paths) in artifacts.Reports ?? [])
        {
            list.Add(new JobArtifact
            {
                Name = ReportName(type),
                Paths = paths,
                When = "always",
                ExpireIn = artifacts.ExpireIn,
                ArtifactType = type,
                ArtifactFormat = ReportFormat(type),
            });
        }

        return list;
    }

    private static string ReportName(string type) => type switch
    {
        "junit" => "junit.xml",
        "dotenv" => ".env",
        "cobertura" => "cobertura-coverage.xml",
        "jacoco" => "jacoco.xml",
        "metrics" => "metrics.txt",
        _ => type,
    };

    private static string ReportFormat(string type) => type switch
    {
        "junit" or "dotenv" or "cobertura" or "jacoco" or "metrics" or "cyclonedx" or "annotations" => ArtifactFormats.Gzip,
        "lsif" => ArtifactFormats.Zip,
        _ => ArtifactFormats.Raw,
    };

    private static IReadOnlyList<ImagePort> Ports(ImmutableArray<PortPlan> ports) => ports.IsDefaultOrEmpty
        ? []
        : [.. ports.Select(p => new ImagePort { Number = p.Number, Protocol = p.Protocol, Name = p.Name })];

    private static ExecutorOptions ExecutorOptions(DockerOptionsPlan? docker, KubernetesOptionsPlan? kubernetes) => new()
    {
        Docker = docker is null ? null : new DockerExecutorOptions { Platform = docker.Platform, User = docker.User },
        Kubernetes = kubernetes is null ? null : new KubernetesExecutorOptions { User = JsonValue(kubernetes) },
    };

    /// <summary><c>kubernetes:user</c> as JSON: a number stays a number (<c>user: 1000</c>).</summary>
    private static JsonElement? JsonValue(KubernetesOptionsPlan kubernetes)
    {
        var json = kubernetes.Uid is { } uid ? uid.ToString(CultureInfo.InvariantCulture)
            : kubernetes.User is { } user ? JsonSerializer.Serialize(user, PayloadJson.Default.String)
            : null;
        if (json is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class PayloadJson : System.Text.Json.Serialization.JsonSerializerContext;
