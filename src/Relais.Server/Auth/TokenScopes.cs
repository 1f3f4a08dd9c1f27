namespace Relais.Server.Auth;

/// <summary>What a request needs from a personal access token, as GitLab's scopes grant it.</summary>
internal enum TokenNeed
{
    /// <summary>Read the REST API (GET/HEAD): <c>api</c> or <c>read_api</c>.</summary>
    ReadApi,

    /// <summary>Change anything through the REST API or the web UI: <c>api</c> only.</summary>
    WriteApi,

    /// <summary>Read the caller's own user (<c>GET /user</c>, <c>GET /users/:id</c>): <c>api</c>, <c>read_api</c> or <c>read_user</c>.</summary>
    ReadUser,

    /// <summary>Clone or fetch over HTTP: <c>api</c>, <c>read_api</c>, <c>read_repository</c> or <c>write_repository</c>.</summary>
    ReadRepository,

    /// <summary>Push over HTTP: <c>api</c> or <c>write_repository</c>.</summary>
    WriteRepository,

    /// <summary>Create a runner (<c>POST /user/runners</c>): <c>api</c> or <c>create_runner</c>.</summary>
    CreateRunner,

    /// <summary>Rotate the token the call came with (<c>POST /personal_access_tokens/self/rotate</c>): <c>api</c> or <c>self_rotate</c>.</summary>
    SelfRotate,

    /// <summary>Act as another user with the <c>Sudo</c> header or <c>sudo</c> parameter (administrators only): <c>sudo</c>.</summary>
    Sudo,

    /// <summary>Anything a live token may do about itself (<c>GET</c>/<c>DELETE /personal_access_tokens/self</c>): any scope.</summary>
    Self,
}

/// <summary>
/// Personal access token scopes as GitLab names them: which names a token may be created with (others are refused)
/// and which scopes satisfy each <see cref="TokenNeed"/>. <c>read_registry</c>/<c>write_registry</c> are accepted and
/// stored; nothing uses them until the registry exists; <c>k8s_proxy</c> (GitLab's agent for Kubernetes) likewise grants nothing here; <c>self_rotate</c> lets a token rotate itself and nothing else. A token without any scope that fits gets 403 insufficient_scope.
/// </summary>
internal static class TokenScopes
{
    public const string Api = "api";
    public const string ReadApi = "read_api";
    public const string ReadUser = "read_user";
    public const string ReadRepository = "read_repository";
    public const string WriteRepository = "write_repository";
    public const string ReadRegistry = "read_registry";
    public const string WriteRegistry = "write_registry";
    public const string CreateRunner = "create_runner";
    public const string K8sProxy = "k8s_proxy";
    public const string SelfRotate = "self_rotate";
    public const string Sudo = "sudo";

    /// <summary>The scopes a token may be created with, in GitLab's order.</summary>
    public static IReadOnlyList<string> Known { get; } = [Api, ReadApi, ReadUser, CreateRunner, K8sProxy, SelfRotate, Sudo, ReadRepository, WriteRepository, ReadRegistry, WriteRegistry];

    /// <summary>What a user may give a token they create for themselves through the API (<c>POST /user/personal_access_tokens</c>): GitLab allows only <c>k8s_proxy</c> and <c>self_rotate</c>.</summary>
    public static IReadOnlyList<string> SelfService { get; } = [K8sProxy, SelfRotate];

    /// <summary>The scopes that satisfy <paramref name="need"/> (reported in the 403 answer).</summary>
    public static IReadOnlyList<string> Satisfying(TokenNeed need) => need switch
    {
        TokenNeed.ReadApi => [Api, ReadApi],
        TokenNeed.WriteApi => [Api],
        TokenNeed.ReadUser => [Api, ReadApi, ReadUser],
        TokenNeed.ReadRepository => [Api, ReadApi, ReadRepository, WriteRepository],
        TokenNeed.WriteRepository => [Api, WriteRepository],
        TokenNeed.CreateRunner => [Api, CreateRunner],
        TokenNeed.SelfRotate => [Api, SelfRotate],
        TokenNeed.Sudo => [Sudo],
        TokenNeed.Self => Known,
        _ => [],
    };

    public static bool Allows(IReadOnlyCollection<string> scopes, TokenNeed need) => Satisfying(need).Any(scopes.Contains);

    /// <summary>REST API reads are GET and HEAD; every other method changes something.</summary>
    public static TokenNeed ForApiMethod(string method) =>
        string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase)
            ? TokenNeed.ReadApi : TokenNeed.WriteApi;

    /// <summary>Parses a stored or requested list (commas or spaces); the unknown names come back separately.</summary>
    public static (IReadOnlyList<string> Scopes, IReadOnlyList<string> Unknown) Parse(string? text)
    {
        var names = (text ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        return (names.Where(Known.Contains).ToList(), names.Where(n => !Known.Contains(n)).ToList());
    }

    /// <summary>The stored form: known names joined by commas.</summary>
    public static string Store(IEnumerable<string> scopes) => string.Join(',', scopes);
}
