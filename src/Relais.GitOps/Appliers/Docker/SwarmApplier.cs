namespace Relais.GitOps.Appliers.Docker;

/// <summary>
/// Applies a <c>SwarmStack</c>: <c>docker stack deploy --with-registry-auth [--prune]</c> of the compose file with
/// content-hashed configs and secrets (<see cref="PreparedStack"/>), then waits for every service to converge; the
/// services this apply changed are rolled back (<c>docker service rollback</c>) when one does not in time. After a healthy
/// apply with prune, the stack's hashed configs and secrets no longer named by the file are removed.
/// </summary>
public sealed class SwarmApplier(TimeProvider time) : IApplier
{
    public SwarmApplier()
        : this(TimeProvider.System)
    {
    }

    public async Task<ApplyResult> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken)
    {
        var (deployment, composePath) = DockerRequest.Read(request, "SwarmStack");
        var stack = deployment.DeploymentName;
        var docker = DockerTool.Docker(deployment.DockerHost);
        var state = new SwarmState(docker);
        try
        {
            using var prepared = await PreparedStack.PrepareAsync(docker, composePath, stack, cancellationToken);
            var before = (await state.ServicesAsync(stack, cancellationToken)).ToDictionary(s => s.Name, StringComparer.Ordinal);
            var existing = await ExistingObjectsAsync(state, cancellationToken);
            string[] deploy = ["stack", "deploy", "--with-registry-auth", .. deployment.Prune ? ["--prune"] : Array.Empty<string>(), "-c", prepared.FilePath, stack];
            var deployed = await docker.TryAsync(deploy, cancellationToken);
            var after = (await state.ServicesAsync(stack, cancellationToken)).ToDictionary(s => s.Name, StringComparer.Ordinal);
            var updated = after.Values.Where(s => before.TryGetValue(s.Name, out var old) && old.Spec != s.Spec).Select(s => s.Name).ToList();
            var changed = after.Keys.Where(n => !before.ContainsKey(n)).Concat(updated).Concat(before.Keys.Where(n => !after.ContainsKey(n)))
                .Order(StringComparer.Ordinal).Select(n => "service " + n)
                .Concat(prepared.Objects.Where(o => !existing.Contains(o.Name)).Select(o => $"{o.Kind} {o.Name}"))
                .ToList();
            if (!deployed.Succeeded)
            {
                return new ApplyResult(false, changed, $"docker stack deploy {stack} failed: {deployed.Message}");
            }

            var services = prepared.Services.Select(s => stack + "_" + s.Name).ToHashSet(StringComparer.Ordinal);
            var health = await new SwarmWaiter(state, time).WaitAsync(stack, services, request.Timeout, cancellationToken);
            var failing = health.Where(h => h.State != ServiceHealthState.Converged).ToList();
            if (failing.Count == 0)
            {
                if (deployment.Prune)
                {
                    changed.AddRange(await RemoveOldObjectsAsync(docker, state, stack, prepared.Objects, cancellationToken));
                }

                var what = changed.Count == 0 ? "nothing changed" : string.Join(", ", changed);
                return new ApplyResult(true, changed, $"stack {stack} applied at {request.Source.Revision}: {what}");
            }

            return await RollBackAsync(docker, stack, failing, updated, changed, request.Timeout, cancellationToken);
        }
        catch (DockerCommandException e)
        {
            return new ApplyResult(false, [], e.Message);
        }
    }

    public async Task<IReadOnlyList<DiffEntry>> DiffAsync(ApplyRequest request, CancellationToken cancellationToken)
    {
        var (deployment, composePath) = DockerRequest.Read(request, "SwarmStack");
        var docker = DockerTool.Docker(deployment.DockerHost);
        var state = new SwarmState(docker);
        using var prepared = await PreparedStack.PrepareAsync(docker, composePath, deployment.DeploymentName, cancellationToken);
        var running = await state.ServicesAsync(deployment.DeploymentName, cancellationToken);
        var existing = await ExistingObjectsAsync(state, cancellationToken);
        return SwarmDiff.Compute(deployment.DeploymentName, prepared.Services, running, prepared.Objects, existing, deployment.Prune);
    }

    private static async Task<HashSet<string>> ExistingObjectsAsync(SwarmState state, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(await state.ObjectNamesAsync("config", cancellationToken), StringComparer.Ordinal);
        names.UnionWith(await state.ObjectNamesAsync("secret", cancellationToken));
        return names;
    }

    /// <summary>Removes the stack's hashed configs and secrets the file no longer names (one still in use stays).</summary>
    private static async Task<List<string>> RemoveOldObjectsAsync(DockerTool docker, SwarmState state, string stack, IReadOnlyList<HashedObject> current, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        var keep = current.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var kind in new[] { "config", "secret" })
        {
            foreach (var name in (await state.HashedObjectsAsync(kind, stack, cancellationToken)).Where(n => !keep.Contains(n)))
            {
                if ((await docker.TryAsync([kind, "rm", name], cancellationToken)).Succeeded)
                {
                    removed.Add($"{kind} {name}");
                }
            }
        }

        return removed;
    }

    /// <summary>Rolls back the services this apply updated (not those Swarm already rolled back) and says which failed and why.</summary>
    private static async Task<ApplyResult> RollBackAsync(DockerTool docker, string stack, List<ServiceHealth> failing, List<string> updated,
        List<string> changed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var rolledBack = failing.Where(h => h.SwarmRolledBack).Select(h => h.Service).ToList();
        var notes = new List<string>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        foreach (var service in updated.Except(rolledBack, StringComparer.Ordinal))
        {
            try
            {
                var result = await docker.TryAsync(["service", "rollback", service], limit.Token);
                if (result.Succeeded)
                {
                    rolledBack.Add(service);
                }
                else
                {
                    notes.Add($"rollback of {service} failed: {result.Message}");
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                notes.Add($"rollback of {service} did not finish in {timeout.TotalSeconds:0} s");
            }
        }

        var failed = string.Join("; ", failing.Select(h => $"service {h.Service} did not converge: {h.Detail}"));
        var message = $"stack {stack}: {failed}" + (rolledBack.Count > 0 ? "; rolled back " + string.Join(", ", rolledBack.Order(StringComparer.Ordinal)) : "; nothing to roll back")
            + (notes.Count > 0 ? "; " + string.Join("; ", notes) : "");
        return new ApplyResult(false, changed, message, RolledBack: rolledBack.Count > 0);
    }
}
