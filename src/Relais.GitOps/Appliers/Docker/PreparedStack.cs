using YamlDotNet.RepresentationModel;

namespace Relais.GitOps.Appliers.Docker;

/// <summary>
/// A stack file ready to deploy: normalized by <c>docker stack config</c> (variables interpolated, <c>env_file</c>
/// merged into <c>environment</c>, paths absolute), its configs and secrets content-hashed, written to a temporary
/// folder of its own (never into the source's), which disposing removes.
/// </summary>
public sealed class PreparedStack : IDisposable
{
    private readonly string _directory;

    private PreparedStack(string directory, string filePath, IReadOnlyList<ComposeService> services, IReadOnlyList<HashedObject> objects)
    {
        _directory = directory;
        FilePath = filePath;
        Services = services;
        Objects = objects;
    }

    /// <summary>The rewritten file to pass to <c>docker stack deploy -c</c>.</summary>
    public string FilePath { get; }

    public IReadOnlyList<ComposeService> Services { get; }

    /// <summary>The configs and secrets given hashed names.</summary>
    public IReadOnlyList<HashedObject> Objects { get; }

    /// <summary>Normalizes and rewrites <paramref name="composePath"/> for the stack <paramref name="stack"/>.</summary>
    public static async Task<PreparedStack> PrepareAsync(DockerTool docker, string composePath, string stack, CancellationToken cancellationToken)
    {
        if (!File.Exists(composePath))
        {
            throw new DockerCommandException($"the compose file {composePath} does not exist");
        }

        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(composePath))!;
        var normalized = await docker.TryAsync(["stack", "config", "-c", composePath], cancellationToken, baseDirectory);
        var noStackConfig = normalized.Message.Contains("unknown shorthand flag", StringComparison.Ordinal)
            || normalized.Message.Contains("unknown command", StringComparison.Ordinal);
        if (!normalized.Succeeded && !noStackConfig)
        {
            throw new DockerCommandException($"docker stack config -c {composePath} failed: {normalized.Message}");
        }

        // A docker CLI without `stack config` (Debian's 20.10): the file as written; stack deploy interpolates it.
        var file = ComposeFile.Parse(normalized.Succeeded ? normalized.Output : await File.ReadAllTextAsync(composePath, cancellationToken));
        var objects = Rewrite(file, stack, baseDirectory, normalized.Succeeded);
        var directory = Path.Combine(Path.GetTempPath(), "relais-gitops", "stack-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var filePath = Path.Combine(directory, "stack.yml");
        await File.WriteAllTextAsync(filePath, file.Save(), cancellationToken);
        return new PreparedStack(directory, filePath, file.Services(), objects);
    }

    /// <summary>
    /// Hashes the configs and secrets and makes the file fit to be deployed from another folder: <c>env_file</c> is
    /// dropped when <paramref name="normalized"/> (already merged into <c>environment</c>), else made absolute.
    /// </summary>
    public static IReadOnlyList<HashedObject> Rewrite(ComposeFile file, string stack, string baseDirectory, bool normalized)
    {
        var objects = ContentHashedObjects.Apply(file, stack, baseDirectory);
        if (ComposeFile.Child(file.Root, "services") is not YamlMappingNode services)
        {
            return objects;
        }

        var envFile = new YamlScalarNode("env_file");
        foreach (var service in services.Children.Values.OfType<YamlMappingNode>())
        {
            if (normalized)
            {
                service.Children.Remove(envFile);
            }
            else if (ComposeFile.Child(service, "env_file") is { } paths)
            {
                service.Children[envFile] = new YamlSequenceNode(
                    (paths is YamlSequenceNode list ? list.Children : [paths]).OfType<YamlScalarNode>()
                        .Select(p => (YamlNode)new YamlScalarNode(Path.GetFullPath(p.Value ?? "", baseDirectory))));
            }
        }

        return objects;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}
