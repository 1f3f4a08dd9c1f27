using System.Text.Json;

#pragma warning disable CA1507 // the strings are the engine's JSON field names, not these parameters

namespace Relais.GitOps.Appliers.Docker;

/// <summary>One container of a Compose project as <c>docker inspect</c> shows it.</summary>
/// <param name="Status"><c>State.Status</c>: <c>created</c>, <c>running</c>, <c>restarting</c>, <c>exited</c>, <c>dead</c>, …</param>
/// <param name="Health"><c>State.Health.Status</c> (<c>starting</c>, <c>healthy</c>, <c>unhealthy</c>); null without a healthcheck.</param>
/// <param name="RestartPolicy"><c>HostConfig.RestartPolicy.Name</c>; empty or <c>no</c> when an exited container stays so.</param>
public sealed record ComposeContainer(string Id, string Name, string Service, string Image, IReadOnlyList<string> Env, string Status,
    int ExitCode, string? Health, string RestartPolicy)
{
    /// <summary>The label Compose puts on a project's containers.</summary>
    public const string ProjectLabel = "com.docker.compose.project";

    /// <summary>Running, and healthy when it has a healthcheck.</summary>
    public bool Ready => Status == "running" && Health is null or "healthy";

    /// <summary>Ended and will not be restarted: waiting longer will not help.</summary>
    public bool Stopped => Status is "exited" or "dead" && RestartPolicy is "" or "no";

    /// <summary>Its state in a few words: <c>exited (3)</c>, <c>running (unhealthy)</c>.</summary>
    public string Describe() => Status is "exited" or "dead" ? $"{Status} ({ExitCode})" : Health is null ? Status : $"{Status} ({Health})";

    /// <summary>The containers of a <c>docker inspect</c> answer, one-off ones (<c>compose run</c>) left out.</summary>
    public static IReadOnlyList<ComposeContainer> ParseAll(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Where(c => Label(c, "com.docker.compose.oneoff") is not ("True" or "true")).Select(Parse)];
    }

    private static ComposeContainer Parse(JsonElement container)
    {
        var config = container.GetProperty("Config");
        var state = container.GetProperty("State");
        return new ComposeContainer(
            container.GetProperty("Id").GetString()!,
            container.GetProperty("Name").GetString()!.TrimStart('/'),
            Label(container, "com.docker.compose.service") ?? "",
            config.GetProperty("Image").GetString()!,
            SwarmService.Strings(config, "Env"),
            state.GetProperty("Status").GetString()!,
            state.GetProperty("ExitCode").GetInt32(),
            state.TryGetProperty("Health", out var health) && health.ValueKind == JsonValueKind.Object ? health.GetProperty("Status").GetString() : null,
            container.GetProperty("HostConfig").TryGetProperty("RestartPolicy", out var restart) && restart.ValueKind == JsonValueKind.Object
                ? restart.GetProperty("Name").GetString() ?? "" : "");
    }

    private static string? Label(JsonElement container, string name) =>
        container.GetProperty("Config").TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object
            && labels.TryGetProperty(name, out var value) ? value.GetString() : null;
}
