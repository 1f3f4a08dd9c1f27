using System.Globalization;
using System.Text.Json.Nodes;

namespace Relais.Runner.Docker;

/// <summary>A container as the list call reports it.</summary>
/// <param name="Id">The container id.</param>
/// <param name="Name">Its name, without the leading slash.</param>
/// <param name="State">created, running, exited, …</param>
/// <param name="Created">When it was created.</param>
/// <param name="Labels">Its labels.</param>
public sealed record ContainerSummary(string Id, string Name, string State, DateTimeOffset Created, IReadOnlyDictionary<string, string> Labels);

public sealed partial class DockerClient
{
    /// <summary>Creates a container from an Engine API create body; returns its id.</summary>
    public async Task<string> CreateContainerAsync(string name, JsonObject spec, CancellationToken cancellationToken)
    {
        var answer = await JsonAsync(HttpMethod.Post, $"containers/create?name={Q(name)}", spec, cancellationToken);
        return answer?["Id"]?.GetValue<string>() ?? throw new DockerApiException("the engine returned no container id");
    }

    /// <summary>Starts a created container.</summary>
    public Task StartContainerAsync(string id, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Post, $"containers/{Q(id)}/start", null, cancellationToken);

    /// <summary>Waits until the container stops; returns its exit code.</summary>
    public async Task<int> WaitContainerAsync(string id, CancellationToken cancellationToken)
    {
        var answer = await JsonAsync(HttpMethod.Post, $"containers/{Q(id)}/wait", null, cancellationToken);
        return answer?["StatusCode"]?.GetValue<int>() ?? -1;
    }

    /// <summary>Sends a signal to the container's main process.</summary>
    public Task KillContainerAsync(string id, string signal, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Post, $"containers/{Q(id)}/kill?signal={Q(signal)}", null, cancellationToken);

    /// <summary>Stops the container: SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Post, $"containers/{Q(id)}/stop?t={(int)Math.Ceiling(grace.TotalSeconds)}", null, cancellationToken);

    /// <summary>Removes the container with its anonymous volumes, running or not; a missing one is fine.</summary>
    public async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await JsonAsync(HttpMethod.Delete, $"containers/{Q(id)}?force=1&v=1", null, cancellationToken);
        }
        catch (DockerApiException e) when (e.NotFound || e.Status == System.Net.HttpStatusCode.Conflict && e.EngineMessage.Contains("already in progress", StringComparison.Ordinal))
        {
        }
    }

    /// <summary>The container's inspect document, or null when it does not exist.</summary>
    public async Task<JsonNode?> InspectContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonAsync(HttpMethod.Get, $"containers/{Q(id)}/json", null, cancellationToken);
        }
        catch (DockerApiException e) when (e.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Streams the container's output from its start (stdout and stderr demultiplexed, in order) to
    /// <paramref name="sink"/>; with <paramref name="follow"/>, until the container stops.
    /// </summary>
    public async Task LogsAsync(string id, bool follow, Action<int, ReadOnlyMemory<byte>> sink, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"containers/{Q(id)}/logs?stdout=1&stderr=1&follow={(follow ? 1 : 0)}", null, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await MultiplexedStream.CopyAsync(stream, sink, cancellationToken);
    }

    /// <summary>Every container (running or not) carrying all of <paramref name="labels"/> (an empty value matches any).</summary>
    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IEnumerable<KeyValuePair<string, string>> labels, CancellationToken cancellationToken)
    {
        var answer = await JsonAsync(HttpMethod.Get, $"containers/json?all=1&filters={LabelFilters(labels)}", null, cancellationToken);
        return (answer?.AsArray() ?? []).Where(c => c is not null).Select(c => new ContainerSummary(
            c!["Id"]!.GetValue<string>(),
            (c["Names"]?.AsArray().FirstOrDefault()?.GetValue<string>() ?? "").TrimStart('/'),
            c["State"]?.GetValue<string>() ?? "",
            DateTimeOffset.FromUnixTimeSeconds(c["Created"]?.GetValue<long>() ?? 0),
            Labels(c["Labels"]))).ToList();
    }

    /// <summary>Extracts a tar stream into <paramref name="path"/> (a directory that exists) of the container.</summary>
    public async Task PutArchiveAsync(string id, string path, Stream tar, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(tar);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
        using var response = await SendAsync(HttpMethod.Put, $"containers/{Q(id)}/archive?path={Q(path)}", content, cancellationToken);
    }

    /// <summary>A tar stream of <paramref name="path"/> in the container (its last name is the top entry); the caller disposes the response.</summary>
    public Task<HttpResponseMessage> GetArchiveAsync(string id, string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"containers/{Q(id)}/archive?path={Q(path)}", null, cancellationToken);

    /// <summary>Runs a command in a running container, collects its output and returns its exit code.</summary>
    public async Task<(int ExitCode, string Output)> ExecAsync(string id, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var spec = new JsonObject { ["AttachStdout"] = true, ["AttachStderr"] = true, ["Cmd"] = StringArray(command) };
        var created = await JsonAsync(HttpMethod.Post, $"containers/{Q(id)}/exec", spec, cancellationToken);
        var execId = created?["Id"]?.GetValue<string>() ?? throw new DockerApiException("the engine returned no exec id");
        var output = new System.Text.StringBuilder();
        using (var response = await SendAsync(HttpMethod.Post, $"exec/{Q(execId)}/start", JsonContent(new JsonObject { ["Detach"] = false, ["Tty"] = false }), cancellationToken))
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            await MultiplexedStream.CopyAsync(stream, (_, bytes) => output.Append(System.Text.Encoding.UTF8.GetString(bytes.Span)), cancellationToken);
        }

        var inspect = await JsonAsync(HttpMethod.Get, $"exec/{Q(execId)}/json", null, cancellationToken);
        return (inspect?["ExitCode"]?.GetValue<int?>() ?? -1, output.ToString());
    }

    /// <summary>A JSON array of strings.</summary>
    internal static JsonArray StringArray(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    /// <summary>A JSON object of string values.</summary>
    internal static JsonObject StringMap(IEnumerable<KeyValuePair<string, string>> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }

        return map;
    }

    private static Dictionary<string, string> Labels(JsonNode? node) =>
        node is JsonObject map
            ? map.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Parses the Engine's RFC 3339 time stamps.</summary>
    internal static DateTimeOffset ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : DateTimeOffset.MinValue;
}
