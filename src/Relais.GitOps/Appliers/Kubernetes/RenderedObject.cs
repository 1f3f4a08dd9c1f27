namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>One object of a rendered Kustomization: who it is and its YAML document as kustomize printed it.</summary>
public sealed record RenderedObject(ObjectRef Ref, string Yaml)
{
    /// <summary>Applied in the first stage, before the others (as Flux does): CRDs and Namespaces, which the others may need.</summary>
    public bool IsClusterDefinition =>
        (Ref.Kind == "CustomResourceDefinition" && Ref.Group == "apiextensions.k8s.io") || (Ref.Kind == "Namespace" && Ref.Group.Length == 0);

    /// <summary>The workloads whose health is their rollout: Deployments, StatefulSets and DaemonSets of <c>apps</c>.</summary>
    public bool HasRollout => Ref.Group == "apps" && Ref.Kind is "Deployment" or "StatefulSet" or "DaemonSet";
}
