namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>A Kustomization that cannot be applied: its files do not render, do not validate, or kubectl failed.</summary>
public sealed class KubernetesApplyException(string message) : Exception(message);
