using Relais.GitOps.Policies;
using Relais.Pipelines.Yaml;

namespace Relais.GitOps.Config;

/// <summary>
/// Turns one resource document into its typed <see cref="GitOpsResource"/>, checking each field's name
/// and type against Flux's API (and ours for <c>SwarmStack</c>/<c>ComposeProject</c>).
/// </summary>
internal static class ResourceReader
{
    /// <summary>The namespace a resource without <c>metadata.namespace</c> is in (Flux uses the namespace it is applied in).</summary>
    public const string DefaultNamespace = "flux-system";

    public static GitOpsResource? Read(string kind, FieldReader document)
    {
        var metadata = document.Nested("metadata", required: true);
        var name = metadata?.String("name", required: true);
        var ns = metadata?.String("namespace") ?? DefaultNamespace;
        metadata?.Node("labels");
        var annotations = metadata?.Node("annotations") as YamlMapping;
        metadata?.Finish();
        var spec = kind == "Secret" ? document : document.Nested("spec", required: true);
        if (spec is null || name is null)
        {
            return null;
        }

        var at = document.Mapping.Location;
        GitOpsResource? resource = kind switch
        {
            "GitRepository" => GitRepositoryOf(name, ns, at, spec),
            "ImageRepository" => ImageRepositoryOf(name, ns, at, spec),
            "ImagePolicy" => ImagePolicyOf(name, ns, at, spec),
            "ImageUpdateAutomation" => AutomationOf(name, ns, at, spec),
            "Kustomization" => KustomizationOf(name, ns, at, spec),
            "SwarmStack" or "ComposeProject" => DockerDeploymentOf(kind, name, ns, at, spec),
            _ => SecretOf(name, ns, at, spec),
        };
        if (kind != "Secret")
        {
            spec.Finish();
        }

        resource = resource is null ? null : resource with { Annotations = AnnotationsOf(annotations) };
        return resource is ImageUpdateAutomation automation ? WithCiSkip(automation, annotations, document) : resource;
    }

    private static Dictionary<string, string> AnnotationsOf(YamlNode? node)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in (node as YamlMapping)?.Entries ?? [])
        {
            if (entry.Value is YamlScalar { IsNull: false } value)
            {
                annotations[entry.Key] = value.AsText();
            }
        }

        return annotations;
    }

    /// <summary>Reads our annotation <c>gitops.relais.dev/ci-skip</c> (<c>"true"</c>, the default, or <c>"false"</c>).</summary>
    private static ImageUpdateAutomation WithCiSkip(ImageUpdateAutomation automation, YamlMapping? annotations, FieldReader document)
    {
        const string key = "gitops.relais.dev/ci-skip";
        switch (annotations?[key])
        {
            case null:
                return automation;
            case YamlScalar scalar when scalar.AsText() is "true" or "false":
                return automation with { CiSkip = scalar.AsText() == "true" };
            case var other:
                document.Error(other.Location, $"metadata.annotations.{key}: expected \"true\" or \"false\"");
                return automation;
        }
    }

    private static GitRepository? GitRepositoryOf(string name, string ns, SourceLocation at, FieldReader spec)
    {
        var url = spec.String("url", required: true);
        var interval = spec.Duration("interval", required: true);
        var timeout = spec.Duration("timeout");
        var secretRef = Ref(spec, "secretRef", "Secret", ns);
        var suspend = spec.Bool("suspend") ?? false;
        spec.Unsupported("verify", "ignore", "include", "recurseSubmodules", "proxySecretRef", "provider", "accessFrom");
        GitReference? reference = null;
        if (spec.Nested("ref") is { } refReader)
        {
            reference = new GitReference(refReader.String("branch"), refReader.String("tag"), refReader.String("semver"), refReader.String("name"), refReader.String("commit"));
            refReader.Finish();
        }

        return url is null || interval is null ? null : new GitRepository(name, ns, at, url, reference, interval.Value, timeout, secretRef, suspend);
    }

    private static ImageRepository? ImageRepositoryOf(string name, string ns, SourceLocation at, FieldReader spec)
    {
        var image = spec.String("image", required: true);
        var interval = spec.Duration("interval", required: true);
        spec.Duration("timeout");
        var secretRef = Ref(spec, "secretRef", "Secret", ns);
        var exclusions = spec.Strings("exclusionList");
        var insecure = spec.Bool("insecure") ?? false;
        var provider = spec.OneOf("provider", ["generic", "aws", "azure", "gcp"]) ?? "generic";
        var suspend = spec.Bool("suspend") ?? false;
        spec.Unsupported("certSecretRef", "proxySecretRef", "serviceAccountName", "accessFrom");
        foreach (var pattern in exclusions)
        {
            if (TagFilter.TryCreate(pattern, null, out var error) is null)
            {
                spec.Error(spec.Mapping["exclusionList"]!.Location, $"{spec.PathOf("exclusionList")}: {error}");
            }
        }

        return image is null || interval is null ? null
            : new ImageRepository(name, ns, at, image, interval.Value, secretRef, exclusions.Count == 0 ? ["^.*\\.sig$"] : exclusions, insecure, provider, suspend);
    }

    private static ImagePolicy? ImagePolicyOf(string name, string ns, SourceLocation at, FieldReader spec)
    {
        var repository = Ref(spec, "imageRepositoryRef", "ImageRepository", ns, required: true);
        var rule = PolicyRuleReader.Read(spec);
        var filter = TagFilter.All;
        if (spec.Nested("filterTags") is { } filterTags)
        {
            // Flux's patterns are Go's: a named group is written (?P<name>…), which .NET spells (?<name>…).
            var pattern = filterTags.String("pattern")?.Replace("(?P<", "(?<", StringComparison.Ordinal);
            var extract = filterTags.String("extract");
            filterTags.Finish();
            if (TagFilter.TryCreate(pattern, extract, out var error) is { } created)
            {
                filter = created;
            }
            else
            {
                spec.Error(filterTags.Mapping.Location, $"{filterTags.PathOf("pattern")}: {error}");
            }
        }

        return repository is null || rule is null ? null : new ImagePolicy(name, ns, at, repository, rule, filter);
    }

    private static ImageUpdateAutomation? AutomationOf(string name, string ns, SourceLocation at, FieldReader spec)
    {
        var source = Ref(spec, "sourceRef", "GitRepository", ns, required: true);
        var interval = spec.Duration("interval", required: true);
        var suspend = spec.Bool("suspend") ?? false;
        string? checkout = null, push = null, authorName = null, authorEmail = null, message = null;
        if (spec.Nested("git", required: true) is { } git)
        {
            if (git.Nested("checkout") is { } checkoutReader)
            {
                if (checkoutReader.Nested("ref", required: true) is { } refReader)
                {
                    checkout = refReader.String("branch", required: true);
                    refReader.Finish();
                }

                checkoutReader.Finish();
            }

            if (git.Nested("push") is { } pushReader)
            {
                push = pushReader.String("branch");
                pushReader.Unsupported("refspec", "options");
                pushReader.Finish();
            }

            if (git.Nested("commit", required: true) is { } commit)
            {
                if (commit.Nested("author", required: true) is { } author)
                {
                    authorName = author.String("name");
                    authorEmail = author.String("email", required: true);
                    author.Finish();
                }

                message = commit.String("messageTemplate");
                commit.Unsupported("signingKey", "messageTemplateValues");
                commit.Finish();
            }

            git.Finish();
        }

        spec.Unsupported("policySelector");
        var path = "./";
        var strategy = "Setters";
        if (spec.Nested("update") is { } update)
        {
            path = update.String("path") ?? path;
            strategy = update.OneOf("strategy", ["Setters"]) ?? strategy;
            update.Finish();
        }

        return source is null || interval is null || authorEmail is null ? null
            : new ImageUpdateAutomation(name, ns, at, source, interval.Value, checkout, push, authorName, authorEmail, message, path, strategy, suspend);
    }

    private static Kustomization? KustomizationOf(string name, string ns, SourceLocation at, FieldReader spec)
    {
        var source = Ref(spec, "sourceRef", "GitRepository", ns, required: true);
        var path = spec.String("path") ?? "./";
        var prune = spec.Bool("prune");
        if (prune is null && spec.Mapping["prune"] is null)
        {
            spec.Error(spec.Mapping.Location, $"{spec.PathOf("prune")}: required field is missing");
        }

        var interval = spec.Duration("interval", required: true);
        var targetNamespace = spec.String("targetNamespace");
        var suspend = spec.Bool("suspend") ?? false;
        var timeout = spec.Duration("timeout");
        spec.Bool("wait");
        spec.Unsupported("dependsOn", "patches", "images", "postBuild", "components", "decryption", "healthChecks", "kubeConfig",
            "serviceAccountName", "force", "retryInterval", "commonMetadata", "namePrefix", "nameSuffix", "deletionPolicy", "healthCheckExprs");
        return source is null || prune is null || interval is null ? null
            : new Kustomization(name, ns, at, source, path, prune.Value, interval.Value, targetNamespace, suspend) { Timeout = timeout };
    }

    private static DockerDeployment? DockerDeploymentOf(string kind, string name, string ns, SourceLocation at, FieldReader spec)
    {
        var source = Ref(spec, "sourceRef", "GitRepository", ns, required: true);
        var path = spec.String("path", required: true);
        var deploymentName = spec.String(kind == "SwarmStack" ? "stack" : "project") ?? name;
        var prune = spec.Bool("prune") ?? false;
        var interval = spec.Duration("interval", required: true);
        var dockerHost = spec.String("dockerHost");
        var environment = spec.String("environment");
        var project = kind == "SwarmStack" ? spec.String("project") : null;
        var suspend = spec.Bool("suspend") ?? false;
        var timeout = spec.Duration("timeout");
        if (dockerHost is not null && !(dockerHost.StartsWith("unix://", StringComparison.Ordinal)
            || dockerHost.StartsWith("tcp://", StringComparison.Ordinal) || dockerHost.StartsWith("ssh://", StringComparison.Ordinal)))
        {
            spec.Error(spec.Mapping["dockerHost"]!.Location, $"{spec.PathOf("dockerHost")}: \"{dockerHost}\" is not a Docker host (unix://, tcp:// or ssh://)");
        }

        return source is null || path is null || interval is null ? null
            : new DockerDeployment(kind, name, ns, at, source, path, deploymentName, prune, interval.Value, dockerHost, environment, project, suspend) { Timeout = timeout };
    }

    private static Secret? SecretOf(string name, string ns, SourceLocation at, FieldReader document)
    {
        document.OneOf("type", ["Opaque", "kubernetes.io/basic-auth", "kubernetes.io/ssh-auth", "kubernetes.io/dockerconfigjson"]);
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.Nested("data") is { } encoded)
        {
            foreach (var entry in encoded.Mapping.Entries)
            {
                var text = encoded.String(entry.Key) ?? "";
                try
                {
                    data[entry.Key] = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text));
                }
                catch (FormatException)
                {
                    encoded.Error(entry.Value.Location, $"{encoded.PathOf(entry.Key)}: not valid base64 (use stringData for plain text)");
                }
            }
        }

        if (document.Nested("stringData") is { } plain)
        {
            foreach (var entry in plain.Mapping.Entries)
            {
                data[entry.Key] = plain.String(entry.Key) ?? "";
            }
        }

        return new Secret(name, ns, at, data);
    }

    /// <summary>A <c>{kind?, name, namespace?}</c> reference; the kind, when written, must be <paramref name="kind"/>.</summary>
    private static ResourceRef? Ref(FieldReader spec, string key, string kind, string ns, bool required = false)
    {
        if (spec.Nested(key, required) is not { } reader)
        {
            return null;
        }

        var writtenKind = kind == "GitRepository" ? reader.OneOf("kind", [kind]) : null;
        if (kind == "GitRepository" && writtenKind is null && reader.Mapping["kind"] is null)
        {
            reader.Error(reader.Mapping.Location, $"{reader.PathOf("kind")}: required field is missing");
        }

        if (kind != "Secret")
        {
            reader.String("apiVersion");
        }

        var name = reader.String("name", required: true);
        var refNamespace = kind == "Secret" ? null : reader.String("namespace");
        reader.Finish();
        return name is null ? null : new ResourceRef(kind, name, refNamespace ?? ns, reader.Mapping.Location);
    }
}
