namespace Relais.GitOps.Appliers.Docker;

/// <summary>
/// What <c>compose up -d</c> would change in a project: services without containers to create, services whose containers
/// run another image, lack a variable of the file or have another count to update, orphans to delete (with prune).
/// </summary>
public static class ComposeDiff
{
    public static IReadOnlyList<DiffEntry> Compute(IReadOnlyList<ComposeService> file, IReadOnlyList<ComposeContainer> containers, bool prune)
    {
        var entries = new List<DiffEntry>();
        foreach (var service in file)
        {
            var running = containers.Where(c => c.Service == service.Name).ToList();
            var wanted = service.Replicas ?? 1;
            if (running.Count == 0)
            {
                entries.Add(new DiffEntry("service " + service.Name, "create", $"image {service.Image}, replicas {wanted}"));
                continue;
            }

            var details = new List<string>();
            var images = running.Select(c => c.Image).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (service.Image is not null && images.Any(i => i != service.Image))
            {
                details.Add($"image {string.Join(", ", images)} → {service.Image}");
            }

            if (running.Count != wanted)
            {
                details.Add($"replicas {running.Count} → {wanted}");
            }

            var missing = service.Environment.Where(e => e.Value is not null && running.Any(c => !c.Env.Contains(e.Key + "=" + e.Value, StringComparer.Ordinal)))
                .Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                details.Add("environment " + string.Join(", ", missing));
            }

            if (details.Count > 0)
            {
                entries.Add(new DiffEntry("service " + service.Name, "update", string.Join("; ", details)));
            }
        }

        if (prune)
        {
            var names = file.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            entries.AddRange(containers.Select(c => c.Service).Where(s => !names.Contains(s)).Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal).Select(s => new DiffEntry("service " + s, "delete", "orphan containers")));
        }

        return entries;
    }
}
