using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.GitOps.Config;

/// <summary>
/// The agent's configuration: the Flux v2 resources (and ours) read from every <c>*.yaml</c>/<c>*.yml</c>
/// file of a folder, with the secrets from a separate folder. Other manifests (Deployments, Services,
/// kustomize's own files) are not resources and are left for the appliers.
/// </summary>
public sealed class GitOpsConfig
{
    /// <summary>Every resource kind read, by <c>apiVersion</c>.</summary>
    private static readonly Dictionary<string, string[]> Kinds = new(StringComparer.Ordinal)
    {
        ["source.toolkit.fluxcd.io/v1"] = ["GitRepository"],
        ["image.toolkit.fluxcd.io/v1"] = ["ImageRepository", "ImagePolicy", "ImageUpdateAutomation"],
        ["image.toolkit.fluxcd.io/v1beta2"] = ["ImageRepository", "ImagePolicy", "ImageUpdateAutomation"],
        ["kustomize.toolkit.fluxcd.io/v1"] = ["Kustomization"],
        ["gitops.relais.dev/v1"] = ["SwarmStack", "ComposeProject"],
    };

    private GitOpsConfig(IReadOnlyList<GitOpsResource> resources) => Resources = resources;

    public IReadOnlyList<GitOpsResource> Resources { get; }

    public IEnumerable<GitRepository> GitRepositories => Resources.OfType<GitRepository>();

    public IEnumerable<ImageRepository> ImageRepositories => Resources.OfType<ImageRepository>();

    public IEnumerable<ImagePolicy> ImagePolicies => Resources.OfType<ImagePolicy>();

    public IEnumerable<ImageUpdateAutomation> ImageUpdateAutomations => Resources.OfType<ImageUpdateAutomation>();

    public IEnumerable<Kustomization> Kustomizations => Resources.OfType<Kustomization>();

    public IEnumerable<DockerDeployment> DockerDeployments => Resources.OfType<DockerDeployment>();

    public IEnumerable<Secret> Secrets => Resources.OfType<Secret>();

    /// <summary>
    /// Reads <paramref name="dir"/> (recursively) and <paramref name="secretsDir"/>. Locations are
    /// relative to the folder they were read from.
    /// </summary>
    public static GitOpsConfigResult Load(string dir, string? secretsDir)
    {
        var errors = new List<ConfigError>();
        var resources = new List<GitOpsResource>();
        ReadFolder(dir, secretsFolder: false, resources, errors);
        if (secretsDir is not null)
        {
            ReadFolder(secretsDir, secretsFolder: true, resources, errors);
        }

        ReferenceChecker.Check(resources, errors);
        return errors.Count > 0
            ? new GitOpsConfigResult(null, errors.OrderBy(e => e.Location.File, StringComparer.Ordinal).ThenBy(e => e.Location.Line).ThenBy(e => e.Location.Column).ToList())
            : new GitOpsConfigResult(new GitOpsConfig(resources), []);
    }

    private static void ReadFolder(string dir, bool secretsFolder, List<GitOpsResource> resources, List<ConfigError> errors)
    {
        if (!Directory.Exists(dir))
        {
            errors.Add(new ConfigError(new SourceLocation(dir, 0, 0), "the folder does not exist"));
            return;
        }

        var files = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(dir, file).Replace('\\', '/');
            var diagnostics = new DiagnosticBag();
            var documents = YamlLoader.LoadDocuments(relative, File.ReadAllText(file), diagnostics);
            errors.AddRange(diagnostics.Items.Where(d => d.Severity == Severity.Error).Select(d => new ConfigError(d.Location, d.Message)));
            foreach (var document in documents ?? [])
            {
                if (ReadDocument(document, secretsFolder, errors) is { } resource)
                {
                    resources.Add(resource);
                }
            }
        }
    }

    private static GitOpsResource? ReadDocument(YamlNode document, bool secretsFolder, List<ConfigError> errors)
    {
        if (document is not YamlMapping mapping
            || mapping["apiVersion"] is not YamlScalar { IsNull: false } apiVersion
            || mapping["kind"] is not YamlScalar { IsNull: false } kind)
        {
            return null;
        }

        var version = apiVersion.AsText();
        var kindName = kind.AsText();
        if (version == "v1" && kindName == "Secret")
        {
            if (!secretsFolder)
            {
                errors.Add(new ConfigError(kind.Location, "a Secret: secrets are read from --secrets DIR, never from the watched repository"));
                return null;
            }
        }
        else if (Kinds.TryGetValue(version, out var kinds) && !kinds.Contains(kindName, StringComparer.Ordinal))
        {
            errors.Add(new ConfigError(kind.Location, $"kind \"{kindName}\" is not one of {version}'s kinds: {string.Join(", ", kinds)}"));
            return null;
        }
        else if (!Kinds.ContainsKey(version))
        {
            if (Kinds.Keys.Any(k => k.StartsWith(version.Split('/')[0] + "/", StringComparison.Ordinal)))
            {
                errors.Add(new ConfigError(apiVersion.Location, $"apiVersion \"{version}\" is not supported (read: {string.Join(", ", Kinds.Keys)})"));
            }

            return null;
        }

        var reader = new FieldReader(mapping, "", errors);
        reader.Node("apiVersion");
        reader.Node("kind");
        var resource = ResourceReader.Read(kindName, reader);
        reader.Finish();
        return resource;
    }
}

/// <summary>The outcome of <see cref="GitOpsConfig.Load"/>: the configuration, or the errors (sorted by place).</summary>
public sealed record GitOpsConfigResult(GitOpsConfig? Config, IReadOnlyList<ConfigError> Errors);
