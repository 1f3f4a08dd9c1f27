using System.Text;

namespace Relais.GitOps.Sources;

/// <summary>
/// The credentials of one git call, given to git through its environment only (never argv, a URL or a file in the
/// repository): HTTP(S) <c>username</c>/<c>password</c> (Basic) or <c>bearerToken</c> as an <c>http.extraHeader</c>
/// and <c>ca.crt</c> as <c>http.sslCAInfo</c> through <c>GIT_CONFIG_COUNT</c>/<c>GIT_CONFIG_KEY_n</c>/<c>GIT_CONFIG_VALUE_n</c>;
/// SSH <c>identity</c> and <c>known_hosts</c> (required, as Flux) through <c>GIT_SSH_COMMAND</c> with
/// <c>StrictHostKeyChecking=yes</c>. Key files are written 0600 to a private temporary folder deleted on dispose.
/// </summary>
public sealed class GitAuth : IDisposable
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly List<string> _secrets = [];
    private string? _folder;

    private GitAuth(GitUrl url)
    {
        Url = url;
    }

    /// <summary>The URL git is given (without user information).</summary>
    public GitUrl Url { get; }

    /// <summary>The variables to add to git's environment.</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    /// <summary>
    /// Prepares the credentials for <paramref name="url"/> from <paramref name="secret"/> (Flux's keys), writing key
    /// files under <paramref name="tempRoot"/>.
    /// </summary>
    /// <exception cref="GitSourceException">SSH without <c>known_hosts</c>.</exception>
    public static GitAuth For(string url, IReadOnlyDictionary<string, string>? secret, string tempRoot)
    {
        var parsed = GitUrl.Parse(url);
        var auth = new GitAuth(parsed);
        try
        {
            if (parsed.IsSsh)
            {
                auth.PrepareSsh(secret, tempRoot);
            }
            else
            {
                auth.PrepareHttp(secret, tempRoot);
            }
        }
        catch
        {
            auth.Dispose();
            throw;
        }

        return auth;
    }

    /// <summary><paramref name="text"/> with every secret value replaced by <c>***</c> (git's messages are passed on).</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets.Where(s => s.Length >= 4))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        _folder = null;
    }

    private void PrepareHttp(IReadOnlyDictionary<string, string>? secret, string tempRoot)
    {
        var config = new List<(string Key, string Value)>
        {
            // No credential helper may answer (or store) anything: the header below is the only credential.
            ("credential.helper", ""),
        };
        var username = Value(secret, "username") ?? Url.Username;
        var password = Value(secret, "password") ?? Url.Password;
        if (Value(secret, "bearerToken") is { } bearer)
        {
            _secrets.Add(bearer);
            config.Add(("http.extraHeader", "Authorization: Bearer " + bearer));
        }
        else if (username is not null && password is not null)
        {
            _secrets.Add(password);
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password));
            _secrets.Add(basic);
            config.Add(("http.extraHeader", "Authorization: Basic " + basic));
        }

        if (config.Count > 1)
        {
            // The header would follow a redirect to another host: credentials go to the URL given, nowhere else.
            config.Add(("http.followRedirects", "false"));
        }

        if (Value(secret, "ca.crt") is { } ca)
        {
            config.Add(("http.sslCAInfo", WriteFile(tempRoot, "ca.crt", ca)));
        }

        _environment["GIT_CONFIG_COUNT"] = config.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < config.Count; i++)
        {
            _environment[$"GIT_CONFIG_KEY_{i}"] = config[i].Key;
            _environment[$"GIT_CONFIG_VALUE_{i}"] = config[i].Value;
        }
    }

    private void PrepareSsh(IReadOnlyDictionary<string, string>? secret, string tempRoot)
    {
        if (Value(secret, "known_hosts") is not { } knownHosts)
        {
            throw new GitSourceException($"{Url.Display}: SSH needs the host's key: put known_hosts in the GitRepository's secretRef (as Flux requires)");
        }

        var command = new StringBuilder("ssh -o BatchMode=yes -o StrictHostKeyChecking=yes");
        command.Append(" -o UserKnownHostsFile=").Append(Quote(WriteFile(tempRoot, "known_hosts", knownHosts)));
        if (Value(secret, "identity") is { } identity)
        {
            _secrets.Add(identity);
            var key = identity.EndsWith('\n') ? identity : identity + "\n";
            command.Append(" -o IdentitiesOnly=yes -i ").Append(Quote(WriteFile(tempRoot, "identity", key)));
        }

        _environment["GIT_SSH_COMMAND"] = command.ToString();
        _environment["GIT_SSH_VARIANT"] = "ssh";
    }

    private string WriteFile(string tempRoot, string name, string content)
    {
        if (_folder is null)
        {
            Directory.CreateDirectory(tempRoot);
            _folder = Path.Combine(tempRoot, "auth-" + Guid.NewGuid().ToString("N"));
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(_folder);
            }
            else
            {
                Directory.CreateDirectory(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var path = Path.Combine(_folder, name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(content);
        }

        return path;
    }

    private static string? Value(IReadOnlyDictionary<string, string>? secret, string key) =>
        secret is not null && secret.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
