using System.Text.Json;

#pragma warning disable CA1507 // the strings are the engine's JSON field names, not these parameters

namespace Relais.GitOps.Appliers.Docker;

/// <summary>One Swarm service as <c>docker service inspect</c> shows it: what the applier compares and watches.</summary>
/// <param name="Spec">The whole spec (compared before and after a deploy to tell which services it changed).</param>
/// <param name="Replicas">Replicated mode's count; null for a global service.</param>
/// <param name="Ports">The spec's published ports, as <see cref="PublishedPort.Format"/> writes them.</param>
/// <param name="UpdateState"><c>UpdateStatus.State</c>: <c>updating</c>, <c>completed</c>, <c>paused</c>, <c>rollback_started</c>, <c>rollback_completed</c>, <c>rollback_paused</c>; null when no update ran since the last spec change.</param>
public sealed record SwarmService(string Id, string Name, string Spec, string Image, int? Replicas, IReadOnlyList<string> Env,
    IReadOnlyList<string> Configs, IReadOnlyList<string> Ports, string? UpdateState, string? UpdateMessage, bool HasPreviousSpec)
{
    /// <summary>The services of a <c>docker service inspect</c> answer (a JSON array).</summary>
    public static IReadOnlyList<SwarmService> ParseAll(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(Parse)];
    }

    /// <summary>The image without the digest <c>docker stack deploy</c> pins (<c>app:1.0@sha256:…</c> → <c>app:1.0</c>).</summary>
    public static string WithoutDigest(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? image : image[..at];
    }

    private static SwarmService Parse(JsonElement service)
    {
        var spec = service.GetProperty("Spec");
        var container = spec.GetProperty("TaskTemplate").GetProperty("ContainerSpec");
        int? replicas = spec.TryGetProperty("Mode", out var mode) && mode.TryGetProperty("Replicated", out var replicated)
            ? replicated.TryGetProperty("Replicas", out var count) ? count.GetInt32() : 1
            : null;
        var update = service.TryGetProperty("UpdateStatus", out var status) && status.ValueKind == JsonValueKind.Object ? status : (JsonElement?)null;
        return new SwarmService(
            service.GetProperty("ID").GetString()!,
            spec.GetProperty("Name").GetString()!,
            spec.GetRawText(),
            container.GetProperty("Image").GetString()!,
            replicas,
            Strings(container, "Env"),
            container.TryGetProperty("Configs", out var configs) && configs.ValueKind == JsonValueKind.Array
                ? [.. configs.EnumerateArray().Select(c => c.GetProperty("ConfigName").GetString()!)]
                : [],
            PortsOf(spec),
            update is { } u && u.TryGetProperty("State", out var state) ? state.GetString() : null,
            update is { } m && m.TryGetProperty("Message", out var message) ? message.GetString() : null,
            service.TryGetProperty("PreviousSpec", out var previous) && previous.ValueKind == JsonValueKind.Object);
    }

    private static List<string> PortsOf(JsonElement spec) =>
        spec.TryGetProperty("EndpointSpec", out var endpoint) && endpoint.TryGetProperty("Ports", out var ports) && ports.ValueKind == JsonValueKind.Array
            ? [.. ports.EnumerateArray().Select(p => PublishedPort.Format(
                p.TryGetProperty("PublishedPort", out var published) ? published.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                p.GetProperty("TargetPort").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
                p.TryGetProperty("Protocol", out var protocol) ? protocol.GetString() : null,
                p.TryGetProperty("PublishMode", out var mode) ? mode.GetString() : null)).Order(StringComparer.Ordinal)]
            : [];

    internal static IReadOnlyList<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(e => e.GetString()!)]
            : [];
}
