namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>kustomize's file names for a kustomization, in the order it looks for them.</summary>
public static class KustomizationFile
{
    /// <summary><c>kustomization.yaml</c>, <c>kustomization.yml</c>, <c>Kustomization</c>.</summary>
    public static readonly IReadOnlyList<string> Names = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    /// <summary>Whether the folder has a kustomization of its own.</summary>
    public static bool In(string directory) => Names.Any(name => File.Exists(Path.Combine(directory, name)));
}
