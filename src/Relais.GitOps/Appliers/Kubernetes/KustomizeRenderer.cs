using System.Text.Json;
using Relais.GitOps.Tools;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// Renders a Kustomization's folder with <c>kubectl kustomize</c> (which works without a cluster), in a temporary copy
/// of the source: the folder's own kustomization, or one generated as Flux does (<see cref="GeneratedKustomization"/>),
/// wrapped in one that sets <c>targetNamespace</c> and Flux's inventory labels. Nothing is written into the source.
/// The copy leaves out <c>.git</c> and symbolic links, so a manifest cannot pull in a file from outside the source.
/// </summary>
public sealed class KustomizeRenderer(string kubectl = "kubectl")
{
    /// <summary>The label naming the Kustomization that applied an object (Flux's).</summary>
    public const string NameLabel = "kustomize.toolkit.fluxcd.io/name";

    /// <summary>The label naming that Kustomization's namespace (Flux's).</summary>
    public const string NamespaceLabel = "kustomize.toolkit.fluxcd.io/namespace";

    /// <summary>The rendered YAML stream of <paramref name="path"/> under <paramref name="sourceDirectory"/>.</summary>
    /// <exception cref="KubernetesApplyException">The path leaves the source or is missing, or kustomize fails.</exception>
    public async Task<string> RenderAsync(string sourceDirectory, string path, string name, string ns, string? targetNamespace,
        CancellationToken cancellationToken)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(sourceDirectory));
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(root, path)));
        if (target != root && !target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new KubernetesApplyException($"spec.path \"{path}\" leads out of the source");
        }

        if (!Directory.Exists(target))
        {
            throw new KubernetesApplyException($"spec.path \"{path}\" is not a folder of the source");
        }

        var work = Directory.CreateTempSubdirectory("relais-kustomize-");
        try
        {
            var copy = Path.Combine(work.FullName, "source");
            CopyTree(root, copy);
            var copiedTarget = Path.Combine(copy, Path.GetRelativePath(root, target));
            if (!KustomizationFile.In(copiedTarget))
            {
                GeneratedKustomization.WriteInto(copiedTarget);
            }

            var wrapper = Path.Combine(work.FullName, "relais-wrapper");
            Directory.CreateDirectory(wrapper);
            File.WriteAllText(Path.Combine(wrapper, KustomizationFile.Names[0]), WrapperOf(Path.GetRelativePath(wrapper, copiedTarget), name, ns, targetNamespace));

            var result = await new CliCommand(kubectl, ["kustomize", wrapper]) { WorkingDirectory = work.FullName }.RunAsync(cancellationToken);
            if (!result.Succeeded)
            {
                var message = result.Message.Replace(copy + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).Replace(copy, ".", StringComparison.Ordinal);
                throw new KubernetesApplyException($"kustomize build of \"{path}\" failed: {message}");
            }

            return result.Output;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string WrapperOf(string resource, string name, string ns, string? targetNamespace)
    {
        var kustomization = new Dictionary<string, object>
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["resources"] = new[] { resource.Replace('\\', '/') },
            ["labels"] = new[] { new Dictionary<string, object> { ["pairs"] = new Dictionary<string, string> { [NameLabel] = name, [NamespaceLabel] = ns } } },
        };
        if (targetNamespace is not null)
        {
            kustomization["namespace"] = targetNamespace;
        }

        return JsonSerializer.Serialize(kustomization);
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null || entry.Name == ".git")
            {
                continue;
            }

            var destination = Path.Combine(to, entry.Name);
            if (entry is DirectoryInfo)
            {
                CopyTree(entry.FullName, destination);
            }
            else
            {
                File.Copy(entry.FullName, destination);
            }
        }
    }
}
