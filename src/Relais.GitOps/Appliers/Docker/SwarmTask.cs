using System.Text.Json;

#pragma warning disable CA1507 // the strings are the engine's JSON field names, not these parameters

namespace Relais.GitOps.Appliers.Docker;

/// <summary>One task of a service as <c>docker inspect</c> shows it.</summary>
/// <param name="State"><c>Status.State</c>: <c>running</c>, <c>failed</c>, <c>rejected</c>, <c>shutdown</c>, …</param>
/// <param name="Error"><c>Status.Err</c> (e.g. <c>task: non-zero exit (1)</c>), else the status message.</param>
public sealed record SwarmTask(string Id, string ServiceId, string DesiredState, string State, string? Error, DateTimeOffset Timestamp,
    string Image, IReadOnlyList<string> Env, IReadOnlyList<string> Configs)
{
    /// <summary>The tasks of a <c>docker inspect</c> answer (a JSON array).</summary>
    public static IReadOnlyList<SwarmTask> ParseAll(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(Parse)];
    }

    /// <summary>Whether this task runs the service's current container spec (image, environment and configs; a task keeps the spec it was made from).</summary>
    public bool Runs(SwarmService service) =>
        Image == service.Image && Env.SequenceEqual(service.Env) && Configs.SequenceEqual(service.Configs);

    private static SwarmTask Parse(JsonElement task)
    {
        var status = task.GetProperty("Status");
        var container = task.GetProperty("Spec").GetProperty("ContainerSpec");
        var error = status.TryGetProperty("Err", out var err) ? err.GetString() : status.TryGetProperty("Message", out var message) ? message.GetString() : null;
        return new SwarmTask(
            task.GetProperty("ID").GetString()!,
            task.GetProperty("ServiceID").GetString()!,
            task.GetProperty("DesiredState").GetString()!,
            status.GetProperty("State").GetString()!,
            error,
            status.TryGetProperty("Timestamp", out var at) ? at.GetDateTimeOffset() : default,
            container.GetProperty("Image").GetString()!,
            SwarmService.Strings(container, "Env"),
            container.TryGetProperty("Configs", out var configs) && configs.ValueKind == JsonValueKind.Array
                ? [.. configs.EnumerateArray().Select(c => c.GetProperty("ConfigName").GetString()!)]
                : []);
    }
}
