using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Relais.Git;
using Relais.Server.Pipelines;
using Relais.Server.Security;

namespace Relais.Server.Git;

/// <summary>
/// Git's smart HTTP protocol for <c>/GROUP/NAME.git</c>: <c>GET info/refs?service=…</c>, <c>POST git-upload-pack</c>
/// and <c>POST git-receive-pack</c>, each served by <c>git upload-pack|receive-pack --stateless-rpc</c> with the
/// request body streamed into git (gunzipped when the client compressed it) and git's output streamed back;
/// no pack is ever held in memory. After a push, <see cref="PushPipelines"/> creates the pipelines before the
/// response ends, so <c>git push</c> returns once they exist.
/// </summary>
internal sealed class SmartHttpEndpoints(RequestLimits limits, GitAccess access, PushPipelines pushes)
{
    private const string UploadPack = "git-upload-pack";
    private const string ReceivePack = "git-receive-pack";

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

        if (await AuthorizeAsync(http, repos, group, project, service) is not { } gitDir)
        {
            return;
        }

        SetHeaders(http, $"application/x-{service}-advertisement");
        var announce = $"# service={service}\n";
        await http.Response.WriteAsync($"{announce.Length + 4:x4}{announce}0000", Encoding.ASCII);
        await using var git = GitProcess.Start(WithProtocol(http, GitRepository.Bare(gitDir).Command(service[4..], "--stateless-rpc", "--advertise-refs", gitDir)), redirectInput: false);
        await git.Output.CopyToAsync(http.Response.Body, http.RequestAborted);
        await git.WaitForExitAsync(http.RequestAborted);
    }

    private async Task RpcAsync(HttpContext http, GitRepositories repos, string group, string project, string service)
    {
        if (await AuthorizeAsync(http, repos, group, project, service) is not { } gitDir)
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
        SetHeaders(http, $"application/x-{service}-result");
        // Disposing kills git when it is still running (the client went away, the body was too large).
        await using var git = GitProcess.Start(WithProtocol(http, GitRepository.Bare(gitDir).Command(service[4..], "--stateless-rpc", gitDir)), redirectInput: true);
        var feed = FeedAsync(body, git, parseCommands: service == ReceivePack, http.RequestAborted);
        await git.Output.CopyToAsync(http.Response.Body, http.RequestAborted);
        var updates = await feed;
        var exit = await git.WaitForExitAsync(http.RequestAborted);
        if (service == ReceivePack && exit.Succeeded)
        {
            // The refs have moved: their pipelines are made even when the client stops waiting for them.
            await pushes.HandleAsync($"{group}/{project}", gitDir, updates, CancellationToken.None);
        }
    }

    /// <summary>
    /// Copies the request into git's stdin (reading the push commands on the way) and closes it. A body past its
    /// limit or broken off by the client kills git first (so no half-received push is applied) and is rethrown.
    /// </summary>
    private static async Task<IReadOnlyList<RefUpdate>> FeedAsync(Stream body, RunningGit git, bool parseCommands, CancellationToken cancel)
    {
        IReadOnlyList<RefUpdate> updates = [];
        var stdin = git.Input;
        try
        {
            if (parseCommands)
            {
                updates = await RefUpdates.CopyCommandsAsync(body, stdin, cancel);
            }

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

        return updates;
    }

    /// <summary>The repository's directory when the caller may do <paramref name="service"/>; otherwise writes the refusal and returns null.</summary>
    private async Task<string?> AuthorizeAsync(HttpContext http, GitRepositories repos, string group, string project, string service)
    {
        if (!GitRepositories.IsValidPath(group, project))
        {
            await RefuseAsync(http, StatusCodes.Status404NotFound, "The project you were looking for could not be found.");
            return null;
        }

        var path = $"{group}/{project}";
        var operation = service == ReceivePack ? GitOperation.Write : GitOperation.Read;
        var decision = await access.DecideAsync(http.Request, group, path, operation);
        if (decision.Status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Relais\"";
            await RefuseAsync(http, decision.Status, "HTTP Basic: Access denied.");
            return null;
        }

        if (!decision.Allowed)
        {
            await RefuseAsync(http, decision.Status, decision.Status == StatusCodes.Status403Forbidden
                ? "You are not allowed to push code to this project."
                : "The project you were looking for could not be found.");
            return null;
        }

        if (repos.Exists(path))
        {
            return repos.PathOf(path);
        }

        // A push creates the project: its path must follow the same rules as POST /projects.
        if (operation == GitOperation.Write && decision.User is not null && Api.ProjectPaths.IsValid(project))
        {
            return await repos.EnsureAsync(path, http.RequestAborted);
        }

        await RefuseAsync(http, StatusCodes.Status404NotFound, "The project you were looking for could not be found.");
        return null;
    }

    /// <summary>
    /// Hands the client's <c>Git-Protocol</c> header (<c>version=2</c>) to git as <c>GIT_PROTOCOL</c>, as git's own
    /// http-backend does: protocol v2 is what git over SSH relays fetches with. Only git's plain key=value text passes.
    /// </summary>
    private static GitStart WithProtocol(HttpContext http, GitStart start)
    {
        var protocol = http.Request.Headers["Git-Protocol"].ToString();
        return protocol.Length is > 0 and <= 100 && protocol.All(c => char.IsAsciiLetterOrDigit(c) || c is '=' or ':' or '.' or '-' or '_')
            ? start with { Environment = new Dictionary<string, string> { ["GIT_PROTOCOL"] = protocol } }
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
