namespace Relais.GitOps.Config;

/// <summary>Resolves every <c>sourceRef</c>, <c>imageRepositoryRef</c> and <c>secretRef</c>; a dangling one is an error where it is written.</summary>
internal static class ReferenceChecker
{
    public static void Check(IReadOnlyList<GitOpsResource> resources, List<ConfigError> errors)
    {
        var known = resources.Select(r => (r.Kind, r.Key)).ToHashSet();
        foreach (var reference in resources.SelectMany(References))
        {
            if (!known.Contains((reference.Kind, reference.Key)))
            {
                var hint = reference.Kind == "Secret" ? " in the --secrets folder" : "";
                errors.Add(new ConfigError(reference.Location, $"{reference.Kind} \"{reference.Key}\" is not defined{hint}"));
            }
        }

        foreach (var duplicate in resources.GroupBy(r => (r.Kind, r.Key)).Where(g => g.Count() > 1))
        {
            foreach (var resource in duplicate.Skip(1))
            {
                errors.Add(new ConfigError(resource.Location, $"{resource.Kind} \"{resource.Key}\" is defined twice (first at {duplicate.First().Location})"));
            }
        }
    }

    private static IEnumerable<ResourceRef> References(GitOpsResource resource) => resource switch
    {
        GitRepository g => Present(g.SecretRef),
        ImageRepository i => Present(i.SecretRef),
        ImagePolicy p => [p.ImageRepositoryRef],
        ImageUpdateAutomation a => [a.SourceRef],
        Kustomization k => [k.SourceRef],
        DockerDeployment d => [d.SourceRef],
        _ => [],
    };

    private static IEnumerable<ResourceRef> Present(ResourceRef? reference) => reference is null ? [] : [reference];
}
