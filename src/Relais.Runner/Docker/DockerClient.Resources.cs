using System.Text.Json.Nodes;

namespace Relais.Runner.Docker;

/// <summary>A network or a volume as the list calls report them.</summary>
/// <param name="Id">The id (the name, for volumes).</param>
/// <param name="Name">The name.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Labels">Its labels.</param>
public sealed record ResourceSummary(string Id, string Name, DateTimeOffset Created, IReadOnlyDictionary<string, string> Labels);

public sealed partial class DockerClient
{
    /// <summary>Creates a bridge network with <paramref name="labels"/>; returns its id.</summary>
    public async Task<string> CreateNetworkAsync(string name, IEnumerable<KeyValuePair<string, string>> labels, CancellationToken cancellationToken)
    {
        var spec = new JsonObject { ["Name"] = name, ["Driver"] = "bridge", ["CheckDuplicate"] = true, ["Labels"] = StringMap(labels) };
        var answer = await JsonAsync(HttpMethod.Post, "networks/create", spec, cancellationToken);
        return answer?["Id"]?.GetValue<string>() ?? throw new DockerApiException("the engine returned no network id");
    }

    /// <summary>Removes a network; a missing one is fine.</summary>
    public async Task RemoveNetworkAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await JsonAsync(HttpMethod.Delete, $"networks/{Q(id)}", null, cancellationToken);
        }
        catch (DockerApiException e) when (e.NotFound)
        {
        }
    }

    /// <summary>Networks carrying all of <paramref name="labels"/>.</summary>
    public async Task<IReadOnlyList<ResourceSummary>> ListNetworksAsync(IEnumerable<KeyValuePair<string, string>> labels, CancellationToken cancellationToken)
    {
        var answer = await JsonAsync(HttpMethod.Get, $"networks?filters={LabelFilters(labels)}", null, cancellationToken);
        return (answer?.AsArray() ?? []).Where(n => n is not null).Select(n => new ResourceSummary(
            n!["Id"]!.GetValue<string>(), n["Name"]?.GetValue<string>() ?? "", ParseTime(n["Created"]?.GetValue<string>()), Labels(n["Labels"]))).ToList();
    }

    /// <summary>Creates a named local volume with <paramref name="labels"/>.</summary>
    public Task CreateVolumeAsync(string name, IEnumerable<KeyValuePair<string, string>> labels, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Post, "volumes/create", new JsonObject { ["Name"] = name, ["Labels"] = StringMap(labels) }, cancellationToken);

    /// <summary>Removes a volume; a missing one is fine.</summary>
    public async Task RemoveVolumeAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await JsonAsync(HttpMethod.Delete, $"volumes/{Q(name)}?force=1", null, cancellationToken);
        }
        catch (DockerApiException e) when (e.NotFound)
        {
        }
    }

    /// <summary>Volumes carrying all of <paramref name="labels"/>.</summary>
    public async Task<IReadOnlyList<ResourceSummary>> ListVolumesAsync(IEnumerable<KeyValuePair<string, string>> labels, CancellationToken cancellationToken)
    {
        var answer = await JsonAsync(HttpMethod.Get, $"volumes?filters={LabelFilters(labels)}", null, cancellationToken);
        return (answer?["Volumes"]?.AsArray() ?? []).Where(v => v is not null).Select(v => new ResourceSummary(
            v!["Name"]!.GetValue<string>(), v["Name"]!.GetValue<string>(), ParseTime(v["CreatedAt"]?.GetValue<string>()), Labels(v["Labels"]))).ToList();
    }

    /// <summary>The image's inspect document, or null when the engine does not have it.</summary>
    public async Task<JsonNode?> InspectImageAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonAsync(HttpMethod.Get, $"images/{Q(name)}/json", null, cancellationToken);
        }
        catch (DockerApiException e) when (e.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Pulls an image (<c>name[:tag]</c>, <c>latest</c> when no tag), with <paramref name="registryAuth"/> as the
    /// <c>X-Registry-Auth</c> header when given. The Engine reports failures inside its progress stream: they are thrown.
    /// </summary>
    public async Task PullImageAsync(string name, string? registryAuth, Action<string>? progress, CancellationToken cancellationToken)
    {
        var (image, tag) = ImageNames.SplitTag(name);
        var headers = registryAuth is null ? null : new[] { KeyValuePair.Create("X-Registry-Auth", registryAuth) };
        using var response = await SendAsync(HttpMethod.Post, $"images/create?fromImage={Q(image)}&tag={Q(tag)}", null, cancellationToken, headers);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var node = JsonNode.Parse(line);
            if (node?["error"]?.GetValue<string>() is { } error)
            {
                throw new DockerApiException(System.Net.HttpStatusCode.InternalServerError, error);
            }

            if (node?["status"]?.GetValue<string>() is { } status && node["id"] is null)
            {
                progress?.Invoke(status);
            }
        }
    }
}
