namespace Relais.GitOps.Appliers.Docker;

/// <summary>
/// What <c>docker stack deploy</c> of a prepared file would change: services to create, update (image, replicas,
/// environment, configs) or delete (with prune), and content-hashed configs and secrets to create.
/// </summary>
public static class SwarmDiff
{
    /// <summary>The entries, services first (in the file's order), then deletions, then configs and secrets.</summary>
    public static IReadOnlyList<DiffEntry> Compute(string stack, IReadOnlyList<ComposeService> file, IReadOnlyList<SwarmService> running,
        IReadOnlyList<HashedObject> objects, IReadOnlySet<string> existingObjects, bool prune)
    {
        var entries = new List<DiffEntry>();
        var byName = running.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var wanted in file)
        {
            var name = stack + "_" + wanted.Name;
            if (!byName.TryGetValue(name, out var service))
            {
                entries.Add(new DiffEntry("service " + name, "create", $"image {wanted.Image}, {Mode(wanted.Replicas)}"));
                continue;
            }

            var details = Differences(wanted, service, objects);
            if (details.Count > 0)
            {
                entries.Add(new DiffEntry("service " + name, "update", string.Join("; ", details)));
            }
        }

        var names = file.Select(s => stack + "_" + s.Name).ToHashSet(StringComparer.Ordinal);
        if (prune)
        {
            entries.AddRange(running.Where(s => !names.Contains(s.Name)).Select(s => new DiffEntry("service " + s.Name, "delete", null)));
        }

        entries.AddRange(objects.Where(o => !existingObjects.Contains(o.Name)).Select(o => new DiffEntry($"{o.Kind} {o.Name}", "create", $"content of {o.Key}")));
        return entries;
    }

    private static List<string> Differences(ComposeService wanted, SwarmService service, IReadOnlyList<HashedObject> objects)
    {
        var details = new List<string>();
        var image = SwarmService.WithoutDigest(service.Image);
        if (wanted.Image is not null && wanted.Image != image && wanted.Image != service.Image)
        {
            details.Add($"image {image} → {wanted.Image}");
        }

        if (wanted.Replicas != service.Replicas)
        {
            details.Add($"{Mode(service.Replicas)} → {Mode(wanted.Replicas)}");
        }

        var env = wanted.Environment.Where(e => e.Value is not null).Select(e => e.Key + "=" + e.Value).Order(StringComparer.Ordinal);
        var changedEnv = env.Except(service.Env, StringComparer.Ordinal).Select(e => e.Split('=')[0])
            .Union(service.Env.Except(env, StringComparer.Ordinal).Select(e => e.Split('=')[0]), StringComparer.Ordinal).ToList();
        if (changedEnv.Count > 0)
        {
            details.Add("environment " + string.Join(", ", changedEnv.Order(StringComparer.Ordinal)));
        }

        if (!wanted.Ports.SequenceEqual(service.Ports, StringComparer.Ordinal))
        {
            details.Add($"ports {Ports(service.Ports)} → {Ports(wanted.Ports)}");
        }

        var newConfigs = objects.Where(o => o.Kind == "config" && !service.Configs.Contains(o.Name)
            && service.Configs.Any(c => c.StartsWith(o.Name[..o.Name.LastIndexOf('-')] + "-", StringComparison.Ordinal))).ToList();
        if (newConfigs.Count > 0)
        {
            details.Add("config " + string.Join(", ", newConfigs.Select(o => o.Name)));
        }

        return details;
    }

    private static string Ports(IReadOnlyList<string> ports) => ports.Count == 0 ? "none" : string.Join(", ", ports);

    private static string Mode(int? replicas) => replicas is { } count ? $"replicas {count}" : "global";
}
