using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Relais.Cli.Commands.Ssh;

/// <summary>
/// What <c>relais ssh-keys</c> and <c>relais ssh-git</c> share: the coordinator's internal URL (<c>--url</c>, loopback),
/// the shell secret read from <c>--secret-file</c> and sent in <c>Relais-Shell-Secret</c> on the internal endpoints,
/// and one HTTP client without a timeout (a clone takes as long as it takes).
/// </summary>
internal sealed class ShellClient : IDisposable
{
    public const string SecretHeader = "Relais-Shell-Secret";

    private readonly string _secret;

    private ShellClient(string url, string secretFile, string secret)
    {
        Url = url.TrimEnd('/');
        SecretFile = secretFile;
        _secret = secret;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan }; // loopback: never through a proxy
    }

    public string Url { get; }

    public string SecretFile { get; }

    public HttpClient Http { get; }

    /// <summary>From <c>--url</c> and <c>--secret-file</c>; null with <paramref name="error"/> when either is missing or unreadable.</summary>
    public static ShellClient? Open(Args args, out string? error)
    {
        var (url, file) = (args.Value("url"), args.Value("secret-file"));
        error = url is null || file is null ? "--url and --secret-file are required" : null;
        if (error is not null)
        {
            return null;
        }

        try
        {
            return new ShellClient(url!, file!, File.ReadAllText(file!).Trim());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read the shell secret {file}: {e.Message}";
            return null;
        }
    }

    /// <summary>Calls an internal endpoint with the secret; returns the status and the parsed JSON body (null when not JSON).</summary>
    public async Task<(int Status, JsonElement? Body)> InternalAsync(HttpMethod method, string pathAndQuery, IReadOnlyDictionary<string, string>? form, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(method, Url + pathAndQuery);
        request.Headers.Add(SecretHeader, _secret);
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        using var response = await Http.SendAsync(request, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        try
        {
            return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
        }
        catch (JsonException)
        {
            return ((int)response.StatusCode, null);
        }
    }

    /// <summary>HTTP Basic for the smart HTTP requests of a relayed session.</summary>
    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    public void Dispose() => Http.Dispose();
}
