using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Relais.Runner.Docker;

/// <summary>
/// A small Docker Engine API client (v1.41) over a unix socket or TCP/TLS: the calls the docker executor needs and no
/// more. Bodies are <see cref="JsonObject"/>s shaped as the Engine API documents them; errors are
/// <see cref="DockerApiException"/>s with the Engine's message. Thread-safe; one instance serves every job.
/// This file holds the transport; the calls are grouped by object in <c>DockerClient.*.cs</c>.
/// </summary>
public sealed partial class DockerClient : IDisposable
{
    /// <summary>The API version spoken (Debian's docker.io 20.10 maximum).</summary>
    public const string ApiVersion = "1.41";

    private readonly HttpClient _http;

    /// <summary>Creates a client for <paramref name="endpoint"/> (the environment's when null).</summary>
    public DockerClient(DockerEndpoint? endpoint = null)
    {
        Endpoint = endpoint ?? DockerEndpoint.FromEnvironment();
        _http = Endpoint.CreateHttpClient(ApiVersion);
    }

    /// <summary>Where the engine is.</summary>
    public DockerEndpoint Endpoint { get; }

    /// <summary>Whether the engine answers <c>GET /_ping</c> within <paramref name="timeout"/>.</summary>
    public async Task<bool> PingAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await _http.GetAsync(new Uri("_ping", UriKind.Relative), cts.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>Sends a request and returns the answer's JSON (null for an empty body); throws on an error status.</summary>
    internal async Task<JsonNode?> JsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        using var response = await SendAsync(method, path, body is null ? null : JsonContent(body), cancellationToken, headers);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>Sends a request and returns the answer with its headers read; the caller disposes it. Throws on an error status.</summary>
    internal async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new DockerApiException(response.StatusCode, ErrorMessage(text));
        }
    }

    /// <summary>A JSON body.</summary>
    internal static StringContent JsonContent(JsonNode body)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A query string value.</summary>
    internal static string Q(string value) => Uri.EscapeDataString(value);

    /// <summary>The <c>filters</c> query value for label filters (<c>{"label":["k=v", …]}</c>).</summary>
    internal static string LabelFilters(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var list = new JsonArray();
        foreach (var (key, value) in labels)
        {
            list.Add(value.Length == 0 ? key : key + "=" + value);
        }

        return Q(new JsonObject { ["label"] = list }.ToJsonString());
    }

    private static string ErrorMessage(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["message"]?.GetValue<string>() ?? text.Trim();
        }
        catch (JsonException)
        {
            return text.Trim();
        }
    }
}
