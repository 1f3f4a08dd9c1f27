using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Relais.Runner.Executors;

namespace Relais.Cli.Commands;

/// <summary>
/// <c>relais runner register</c>, as <c>gitlab-runner register</c>: takes the server URL and either a runner
/// authentication token (<c>glrt-</c>, made in the UI or with <c>POST /user/runners</c>: checked with
/// <c>POST /runners/verify</c>) or a registration token (legacy: <c>POST /runners</c> creates the runner), asks on the
/// terminal for what the flags leave out (unless <c>--non-interactive</c>), and adds the runner to the YAML config file.
/// </summary>
internal static class RunnerRegisterCommand
{
    public const string DefaultConfig = "relais-runner.yml";

    public const string Usage = """
        usage: relais runner register [--url URL] [--token glrt-... | --registration-token TOKEN] [OPTIONS]

        Checks the runner's token with the server (or, with a registration token, creates the runner) and adds
        it to the runner's config file, next to the runners already there. Asks for what is missing unless
        --non-interactive.

          --url URL                  the server
          --token TOKEN              a runner authentication token (glrt-...)
          --registration-token T     a registration token (legacy: the server creates the runner)
          --description TEXT         the runner's name (default: this host's name)
          --tag-list a,b             its tags (set on the server with a registration token)
          --executor NAME            shell (default), docker or auto
          --docker-image IMAGE       docker, auto: the image of jobs without one
          --config FILE              the config file (default relais-runner.yml)
          --non-interactive          never ask; fail on what is missing

        """;

    private static readonly HashSet<string> Valued = ["url", "token", "registration-token", "description", "tag-list", "executor", "docker-image", "config"];

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextReader stdin, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        var args = Args.Parse(argv, Valued, new HashSet<string> { "help", "non-interactive" }, out var error);
        if (error is null && args.Positional.Count > 0)
        {
            error = $"unexpected argument `{args.Positional[0]}`";
        }

        if (error is not null || args.Flag("help"))
        {
            (error is null ? stdout : stderr).Write((error is null ? "" : $"relais runner register: {error}\n") + Usage);
            return error is null ? 0 : 2;
        }

        var ask = new Prompter(args.Flag("non-interactive") ? null : stdin, stdout);
        var url = ask.For(args.Value("url"), "Enter the server URL (for example, https://ci.example.com/):", null);
        var token = args.Value("token") ?? args.Value("registration-token")
            ?? ask.For(null, "Enter the runner authentication token (glrt-...) or a registration token:", null);
        var legacy = args.Value("registration-token") is not null || (token is not null && args.Value("token") is null && !token.StartsWith("glrt-", StringComparison.Ordinal));
        var description = ask.For(args.Value("description"), "Enter a description for the runner:", Environment.MachineName);
        var tags = ask.For(args.Value("tag-list"), "Enter tags for the runner (comma-separated):", "");
        var executor = ask.For(args.Value("executor"), "Enter an executor: shell, docker, auto:", "shell");
        string? image = null;
        if (executor is "docker" or "auto")
        {
            image = ask.For(args.Value("docker-image"), "Enter the default Docker image (for example, busybox:latest):", "busybox:latest");
        }

        if (url is null || token is null)
        {
            stderr.WriteLine($"relais runner register: give {(url is null ? "--url" : "--token or --registration-token")}");
            return 2;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            stderr.WriteLine($"relais runner register: --url `{url}` is not an http(s) URL");
            return 2;
        }

        if (executor is null || !ExecutorCatalog.Contains(executor))
        {
            stderr.WriteLine("relais runner register: " + ExecutorCatalog.Unknown(executor ?? ""));
            return 2;
        }

        var tagList = (tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (runnerToken, problem) = await ServerCallAsync(uri, token, legacy, description ?? "", tagList);
        if (runnerToken is null)
        {
            stderr.WriteLine("relais runner register: " + problem);
            return 1;
        }

        var config = Path.Combine(workingDirectory, args.Value("config") ?? DefaultConfig);
        if (RunnerConfigFile.Append(config, new RunnerConfigFile.Entry(description ?? "", url, runnerToken, executor, tagList, image)) is { } written)
        {
            stderr.WriteLine("relais runner register: " + written);
            return 1;
        }

        stdout.WriteLine($"Runner registered successfully. Start it with: relais runner --config {config}");
        return 0;
    }

    /// <summary>Verifies the authentication token, or registers with the registration token; the runner's token, or why not.</summary>
    private static async Task<(string? Token, string? Problem)> ServerCallAsync(Uri server, string token, bool legacy, string description, IReadOnlyList<string> tags)
    {
        var api = new Uri(server.AbsoluteUri.TrimEnd('/') + "/api/v4/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            if (!legacy)
            {
                using var verified = await http.PostAsJsonAsync(new Uri(api, "runners/verify"), new Dictionary<string, string> { ["token"] = token });
                return verified.StatusCode switch
                {
                    HttpStatusCode.OK => (token, null),
                    HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => (null, $"the server at {server} refused the runner token (403): check it, or make a new runner"),
                    var other => (null, $"the server at {server} answered {(int)other} to POST /api/v4/runners/verify"),
                };
            }

            var body = new Dictionary<string, object> { ["token"] = token, ["description"] = description, ["tag_list"] = string.Join(',', tags), ["run_untagged"] = tags.Count == 0 };
            using var created = await http.PostAsJsonAsync(new Uri(api, "runners"), body);
            if (created.StatusCode == HttpStatusCode.Created)
            {
                using var doc = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
                return doc.RootElement.TryGetProperty("token", out var t) && t.GetString() is { } runnerToken
                    ? (runnerToken, null)
                    : (null, $"the server at {server} answered without a runner token");
            }

            return created.StatusCode == HttpStatusCode.Forbidden
                ? (null, $"the server at {server} refused the registration token (403)")
                : (null, $"the server at {server} answered {(int)created.StatusCode} to POST /api/v4/runners");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (null, $"cannot reach {server}: {e.Message}");
        }
    }

    /// <summary>Asks on the terminal for a value the flags left out (never when non-interactive: then the default, or null).</summary>
    private sealed class Prompter(TextReader? stdin, TextWriter stdout)
    {
        public string? For(string? given, string question, string? fallback)
        {
            if (given is not null || stdin is null)
            {
                return given ?? fallback;
            }

            stdout.WriteLine(fallback is { Length: > 0 } ? $"{question} [{fallback}]" : question);
            var answer = stdin.ReadLine()?.Trim();
            return string.IsNullOrEmpty(answer) ? fallback : answer;
        }
    }
}
