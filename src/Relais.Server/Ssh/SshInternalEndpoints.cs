using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Relais.Server.Api;
using Relais.Server.Git;
using Relais.Server.Storage;

namespace Relais.Server.Ssh;

/// <summary>
/// The two endpoints the commands sshd runs call, on loopback only and with the <see cref="SshShellSecret"/> in the
/// <c>Relais-Shell-Secret</c> header (else 404 off loopback, 401 without the secret; nothing is said about keys):
/// <list type="bullet">
/// <item><c>GET /api/v4/internal/ssh/authorized_keys?key_type=T&amp;key=B64</c> — whom the key sshd was offered
/// answers for (<see cref="SshKeyLookup"/>): <c>{"id", "key"}</c> with the stored key's type and blob, or 404.</item>
/// <item><c>POST /api/v4/internal/ssh/allowed</c> (form: <c>key_id</c>, <c>action</c> = <c>git-upload-pack</c>,
/// <c>git-receive-pack</c> or <c>discover</c>, <c>project</c> = <c>group/name</c>) — whether the key may do that
/// (<see cref="SshGitAccess"/>): 200 with a short-lived <see cref="SshGitTokens"/> token and the username, or
/// 401/403/404 with GitLab Shell's message.</item>
/// </list>
/// </summary>
internal sealed class SshInternalEndpoints(SshShellSecret secret, SshKeyLookup lookup, IKeyStore keys, SshGitAccess sshAccess, GitAccess gitAccess)
{
    public const string NotFoundMessage = "The project you were looking for could not be found or you don't have permission to view it.";

    public void Map(WebApplication app)
    {
        app.MapGet("/api/v4/internal/ssh/authorized_keys", Task<IResult> (HttpContext http) => GuardedAsync(http, () => AuthorizedKeyAsync(http)));
        app.MapPost("/api/v4/internal/ssh/allowed", Task<IResult> (HttpContext http) => GuardedAsync(http, () => AllowedAsync(http)));
    }

    private async Task<IResult> GuardedAsync(HttpContext http, Func<Task<IResult>> handler)
    {
        if (http.Connection.RemoteIpAddress is not { } peer || !System.Net.IPAddress.IsLoopback(peer))
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "404 Not Found");
        }

        return secret.Matches(http.Request.Headers[SshShellSecret.Header].ToString())
            ? await handler()
            : ApiJson.Error(StatusCodes.Status401Unauthorized, "401 Unauthorized");
    }

    private async Task<IResult> AuthorizedKeyAsync(HttpContext http)
    {
        var (type, blob) = (http.Request.Query["key_type"].ToString(), http.Request.Query["key"].ToString());
        var cancel = http.RequestAborted;
        if (await lookup.FindAsync(type, blob, cancel) is not { } owner || await keys.GetKeyAsync(owner.KeyId, cancel) is not { } key)
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "404 Not Found");
        }

        // The stored, normalised key (type and blob; its comment stays out of sshd's input).
        var parts = key.Key.Split(' ');
        return ApiJson.Ok(new Dictionary<string, object> { ["id"] = key.Id, ["key"] = parts[0] + " " + parts[1] });
    }

    private async Task<IResult> AllowedAsync(HttpContext http)
    {
        var cancel = http.RequestAborted;
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(cancel) : null;
        string Field(string name) => form?[name].ToString() ?? "";
        if (!long.TryParse(Field("key_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var keyId)
            || await sshAccess.FindOwnerAsync(keyId, cancel) is not { } owner)
        {
            return Refused(StatusCodes.Status401Unauthorized, "Your SSH key is not known to Relais (any more).");
        }

        var action = Field("action");
        if (action == "discover")
        {
            return ApiJson.Ok(new Dictionary<string, object?> { ["status"] = true, ["username"] = owner.Username });
        }

        var operation = action switch
        {
            "git-upload-pack" => GitOperation.Read,
            "git-receive-pack" => GitOperation.Write,
            _ => (GitOperation?)null,
        };
        var path = Field("project");
        var slash = path.LastIndexOf('/'); // the namespace may be nested (acme/web/app)
        if (operation is null || slash <= 0 || !GitRepositories.IsValidPath(path[..slash], path[(slash + 1)..]))
        {
            return Refused(StatusCodes.Status404NotFound, NotFoundMessage);
        }

        var decision = await sshAccess.DecideForKeyAsync(gitAccess, keyId, path[..slash], path, operation.Value, cancel);
        return decision.Status switch
        {
            StatusCodes.Status200OK => ApiJson.Ok(new Dictionary<string, object?>
            {
                ["status"] = true,
                ["username"] = owner.Username,
                ["token"] = sshAccess.Tokens.Issue(keyId, path, operation.Value),
            }),
            StatusCodes.Status403Forbidden => Refused(decision.Status, owner.IsDeployKey
                ? "This deploy key does not have write access to this project."
                : "You are not allowed to push code to this project."),
            StatusCodes.Status401Unauthorized => Refused(decision.Status, "Your SSH key is not known to Relais (any more)."),
            _ => Refused(StatusCodes.Status404NotFound, NotFoundMessage),
        };
    }

    private static IResult Refused(int status, string message) =>
        ApiJson.Ok(new Dictionary<string, object> { ["status"] = false, ["message"] = message }, status);
}
