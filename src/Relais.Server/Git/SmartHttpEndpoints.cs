using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Relais.Git;
using Relais.Server.Pipelines;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Git;

/// <summary>
/// Git's smart HTTP protocol for <c>/GROUP/NAME.git</c>: <c>GET info/refs?service=…</c>, <c>POST git-upload-pack</c>
/// and <c>POST git-receive-pack</c>, each served by <c>git upload-pack|receive-pack --stateless-rpc</c> with the
/// request body streamed into git (gunzipped when the client compressed it) and git's output streamed back;
/// no pack is ever held in memory. A push's commands (read before git starts) go through the protected refs'
/// rules (<see cref="PushGate"/>), whose verdicts the <see cref="PushHook"/> in <paramref name="hooksDir"/> carries out;
/// the push options that follow them (<c>git push -o</c>, <see cref="PushOptions"/>) go to the push's pipelines and webhooks.
/// After a push, <see cref="PushPipelines"/> creates the pipelines before the response ends, so <c>git push</c>
/// returns once they exist.
/// </summary>
internal sealed class SmartHttpEndpoints(RequestLimits limits, GitAccess access, PushPipelines pushes, IProjectStore projectStore, string hooksDir)
{
    private const string UploadPack = "git-upload-pack";
    private const string ReceivePack = "git-receive-pack";

    /// <summary>At most this much of a push is its command list (some 100,000 ref updates), held while the rules are applied.</summary>
    private const long MaxCommandBytes = 16 * 1024 * 1024;

    public void Map(WebApplication app, GitRepositories repos)
    {
        app.MapGet("/{group}/{project}.git/info/refs", (HttpContext http, string group, string project) =>
            InfoRefsAsync(http, repos, group, project));
        app.MapPost("/{group}/{project}.git/" + UploadPack, (HttpContext http, string group, string project) =>
            RpcAsync(http, repos, group, project, UploadPack));
        app.MapPost("/{group}/{project}.git/" + ReceivePack, (HttpContext http, string group, string project) =>
            RpcAsync(http, repos, group, project, ReceivePack));
    }

    private async Task InfoRefsAsync(HttpContext http, GitRepositories repos, string group, string project)
    {
        var service = http.Request.Query["service"].ToString();
        if (service is not (UploadPack or ReceivePack))
        {
            await RefuseAsync(http, StatusCodes.Status403Forbidden, "Only the smart HTTP protocol is supported.");
            return;
        }

        if (await AuthorizeAsync(http, repos, group, project, service) is not ({ } gitDir, _))
        {
            return;
        }

        SetHeaders(http, $"application/x-{service}-advertisement");
        var announce = $"# service={service}\n";
        await http.Response.WriteAsync($"{announce.Length + 4:x4}{announce}0000", Encoding.ASCII);
        await using var git = GitProcess.Start(WithProtocol(http, GitRepository.Bare(gitDir).Command([.. Options(service), service[4..], "--stateless-rpc", "--advertise-refs", gitDir])), redirectInput: false);
        await git.Output.CopyToAsync(http.Response.Body, http.RequestAborted);
        await git.WaitForExitAsync(http.RequestAborted);
    }

    private async Task RpcAsync(HttpContext http, GitRepositories repos, string group, string project, string service)
    {
        if (await AuthorizeAsync(http, repos, group, project, service) is not ({ } gitDir, var decision))
        {
            return;
        }

        // A push (or a fetch negotiation) past its limit is refused before git sees a byte when its length is
        // announced; a chunked one is cut off where it passes the limit, and so is a gzip body once unpacked.
        var limit = service == ReceivePack ? limits.Push : limits.FetchNegotiation;
        if (http.Request.ContentLength > limit)
        {
            throw new BodyTooLargeException(limit);
        }

        await using var gzip = string.Equals(http.Request.Headers.ContentEncoding.ToString(), "gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(http.Request.Body, CompressionMode.Decompress, leaveOpen: true)
            : null;
        await using var body = new LimitedStream((Stream?)gzip ?? http.Request.Body, limit);
        var start = GitRepository.Bare(gitDir).Command(service[4..], "--stateless-rpc", gitDir);
        using var commands = new MemoryStream();
        var received = new ReceiveCommands([], []);
        if (service == ReceivePack)
        {
            // The command list (and the push options) come first: read them, apply the rules, then start git with their verdicts for the hook.
            received = await RefUpdates.CopyCommandsAsync(new LimitedStream(body, MaxCommandBytes), commands, http.RequestAborted);
            var verdicts = await DecideAsync($"{group}/{project}", decision, received.Updates, http.RequestAborted);
            start = GitRepository.Bare(gitDir).Command([.. Options(service), "-c", "core.hooksPath=" + hooksDir, service[4..], "--stateless-rpc", gitDir]) with
            {
                Environment = PushGate.Environment(verdicts),
            };
        }

        SetHeaders(http, $"application/x-{service}-result");
        // Disposing kills git when it is still running (the client went away, the body was too large).
        await using var git = GitProcess.Start(WithProtocol(http, start), redirectInput: true);
        var feed = FeedAsync(commands.ToArray(), body, git, http.RequestAborted);
        await git.Output.CopyToAsync(http.Response.Body, http.RequestAborted);
        await feed;
        var exit = await git.WaitForExitAsync(http.RequestAborted);
        if (service == ReceivePack && exit.Succeeded)
        {
            // The refs have moved: their pipelines are made even when the client stops waiting for them.
            var options = PushOptions.Parse(received.Options);
            await pushes.HandleAsync($"{group}/{project}", gitDir, received.Updates, decision.User ?? decision.Caller?.User, CancellationToken.None, options);
        }
    }

    /// <summary>The rules' verdicts on a push's updates: none apply to a project that does not exist yet (push to create).</summary>
    private async Task<IReadOnlyList<PushVerdict>> DecideAsync(string path, GitAccessDecision decision, IReadOnlyList<RefUpdate> updates, CancellationToken cancel)
    {
        if (await projectStore.FindProjectAsync(path, cancel) is not { } project)
        {
            return PushGate.Decide(ProtectedRefSet.None("main"), new Pusher(Auth.AccessLevel.Owner), updates);
        }

        var pusher = decision.DeployKeyId is { } key ? Pusher.DeployKey(key) : Pusher.Of(decision.Caller, project);
        return PushGate.Decide(await ProtectedRefSet.LoadAsync(projectStore, project, cancel), pusher, updates);
    }

    /// <summary>
    /// Writes what was read already (<paramref name="head"/>) and the rest of the request into git's stdin, and closes
    /// it. A body past its limit or broken off by the client kills git first (so no half-received push is applied) and
    /// is rethrown.
    /// </summary>
    private static async Task FeedAsync(byte[] head, Stream body, RunningGit git, CancellationToken cancel)
    {
        var stdin = git.Input;
        try
        {
            await stdin.WriteAsync(head, cancel);
            await body.CopyToAsync(stdin, 81920, cancel);
        }
        catch (Exception e) when (e is BodyTooLargeException or BadHttpRequestException or InvalidDataException)
        {
            git.Kill();
            throw;
        }
        catch (IOException)
        {
            // git stopped reading (it failed, and says why on its own output): nothing more to feed.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync();
            }
            catch (IOException)
            {
                // Already broken.
            }
        }
    }

    /// <summary>The repository's directory (and who asks) when the caller may do <paramref name="service"/>; otherwise writes the refusal and returns a null directory.</summary>
    private async Task<(string? GitDir, GitAccessDecision Decision)> AuthorizeAsync(HttpContext http, GitRepositories repos, string group, string project, string service)
    {
        if (!GitRepositories.IsValidPath(group, project))
        {
            await RefuseAsync(http, StatusCodes.Status404NotFound, "The project you were looking for could not be found.");
            return (null, default);
        }

        var path = $"{group}/{project}";
        var operation = service == ReceivePack ? GitOperation.Write : GitOperation.Read;
        var decision = await access.DecideAsync(http.Request, group, path, operation);
        if (decision.Status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Relais\"";
            await RefuseAsync(http, decision.Status, "HTTP Basic: Access denied.");
            return (null, decision);
        }

        if (!decision.Allowed)
        {
            await RefuseAsync(http, decision.Status, decision.Status == StatusCodes.Status403Forbidden
                ? "You are not allowed to push code to this project."
                : "The project you were looking for could not be found.");
            return (null, decision);
        }

        if (repos.Exists(path))
        {
            return (repos.PathOf(path), decision);
        }

        // A push creates the project: its path must follow the same rules as POST /projects.
        if (operation == GitOperation.Write && decision.User is not null && Api.ProjectPaths.IsValid(project))
        {
            return (await repos.EnsureAsync(path, http.RequestAborted), decision);
        }

        await RefuseAsync(http, StatusCodes.Status404NotFound, "The project you were looking for could not be found.");
        return (null, decision);
    }

    /// <summary>
    /// git's settings for <paramref name="service"/>: a push advertises the <c>push-options</c> capability (and then reads
    /// the options the client sends), so <c>git push -o</c> works as on GitLab.
    /// </summary>
    private static string[] Options(string service) => service == ReceivePack ? ["-c", "receive.advertisePushOptions=true"] : [];

    /// <summary>
    /// Hands the client's <c>Git-Protocol</c> header (<c>version=2</c>) to git as <c>GIT_PROTOCOL</c>, as git's own
    /// http-backend does: protocol v2 is what git over SSH relays fetches with. Only git's plain key=value text passes.
    /// </summary>
    private static GitStart WithProtocol(HttpContext http, GitStart start)
    {
        var protocol = http.Request.Headers["Git-Protocol"].ToString();
        return protocol.Length is > 0 and <= 100 && protocol.All(c => char.IsAsciiLetterOrDigit(c) || c is '=' or ':' or '.' or '-' or '_')
            ? start with { Environment = new Dictionary<string, string>(start.Environment) { ["GIT_PROTOCOL"] = protocol } }
            : start;
    }

    private static void SetHeaders(HttpContext http, string contentType)
    {
        http.Response.ContentType = contentType;
        http.Response.Headers.CacheControl = "no-cache, max-age=0, must-revalidate";
        http.Response.Headers.Pragma = "no-cache";
    }

    private static Task RefuseAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(message + "\n");
    }
}
