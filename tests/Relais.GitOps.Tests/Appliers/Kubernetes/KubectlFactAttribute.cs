using Relais.GitOps.Tools;

namespace Relais.GitOps.Tests.Appliers.Kubernetes;

/// <summary>A fact that needs the real <c>kubectl</c> (for <c>kubectl kustomize</c>, which works offline); skipped, with the reason, where it is missing.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(() =>
    {
        var result = new CliCommand("kubectl", ["version", "--client"]).RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        return result.Succeeded ? null : $"kubectl is not installed here ({result.Message}): the Kubernetes applier's tests render with kubectl kustomize";
    });

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when kubectl is missing.</summary>
    public KubectlFactAttribute()
    {
        if (Missing.Value is { } reason)
        {
            Skip = reason;
        }
    }
}
