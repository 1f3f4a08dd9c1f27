using System.Net.Http.Headers;
using System.Text;

namespace Relais.Cli.Commands.Ssh;

/// <summary>
/// Relays one git-over-SSH session (stdin/stdout) to the coordinator's smart HTTP endpoints, with the relay token, so
/// both transports share one access check, the protected-branch checks and push → pipeline:
/// <list type="bullet">
/// <item>fetch (<c>git-upload-pack</c>) speaks protocol v2, where every command is a request on its own: the capability
/// advertisement comes from <c>info/refs</c>, then each command the client sends (up to its flush) is one POST and its
/// answer goes back as it comes. A client that did not ask for v2 (<c>GIT_PROTOCOL</c>) is told how to.</item>
/// <item>push (<c>git-receive-pack</c>, protocol v0): the ref advertisement from <c>info/refs</c>, then the client's
/// commands (and push options) and, when any command is not a delete, its pack up to the end of its input, streamed
/// as one POST; the report goes back as it comes.</item>
/// </list>
/// </summary>
internal sealed class GitSshRelay(ShellClient client, GitSshRequest request, AuthenticationHeaderValue credentials, Stream input, Stream output, TextWriter stderr)
{
    private const string V2 = "version=2";

    private string RepoUrl => client.Url + "/" + request.ProjectPath + ".git";

    public async Task<int> RunAsync(CancellationToken cancel)
    {
        if (request.Service == GitSshRequest.UploadPack)
        {
            var protocol = Environment.GetEnvironmentVariable("GIT_PROTOCOL") ?? "";
            if (!protocol.Split(':').Contains(V2))
            {
                await stderr.WriteLineAsync("ERROR: Relais serves fetches over SSH with git's protocol version 2 only (git 2.18 or later; "
                    + "the default since git 2.26). Run: git config --global protocol.version 2");
                return 1;
            }

            return await FetchAsync(cancel);
        }

        return await PushAsync(cancel);
    }

    private async Task<int> FetchAsync(CancellationToken cancel)
    {
        if (!await AdvertiseAsync(V2, cancel))
        {
            return 1;
        }

        while (await PktLine.ReadSectionAsync(input, cancel) is { } command)
        {
            if (command.Count == 1)
            {
                return 0; // a lone flush: the client is done
            }

            if (!await PostAsync(new MemoryStream(Concat(command)), V2, cancel))
            {
                return 1;
            }
        }

        return 0;
    }

    private async Task<int> PushAsync(CancellationToken cancel)
    {
        if (!await AdvertiseAsync(null, cancel))
        {
            return 1;
        }

        if (await PktLine.ReadSectionAsync(input, cancel) is not { Count: > 1 } commands)
        {
            return 0; // nothing to push (the client saw the refs and stopped)
        }

        var prefix = new List<byte[]>(commands);
        var first = Encoding.UTF8.GetString(PktLine.Data(commands[0]));
        var capabilities = first.Contains('\0', StringComparison.Ordinal) ? first[(first.IndexOf('\0', StringComparison.Ordinal) + 1)..].Split(' ') : [];
        if (capabilities.Contains("push-options") && await PktLine.ReadSectionAsync(input, cancel) is { } options)
        {
            prefix.AddRange(options);
        }

        // A pack follows unless every command deletes a ref (new id all zeros); it runs to the end of the input.
        var anyPack = commands.Take(commands.Count - 1).Any(c => Encoding.ASCII.GetString(PktLine.Data(c)).Split(' ') is { Length: >= 2 } f && f[1].Trim('0').Length > 0);
        Stream body = new MemoryStream(Concat(prefix));
        if (anyPack)
        {
            body = new ConcatenatedStream(body, input);
        }

        return await PostAsync(body, null, cancel) ? 0 : 1;
    }

    /// <summary>Writes <c>info/refs</c>'s advertisement without its <c>#service=</c> header (SSH has none); false (and the server's message) when refused.</summary>
    private async Task<bool> AdvertiseAsync(string? protocol, CancellationToken cancel)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, RepoUrl + "/info/refs?service=" + request.Service);
        Prepare(message, protocol);
        using var response = await client.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancel);
        if (!await CheckAsync(response, cancel))
        {
            return false;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancel);
        var first = await PktLine.ReadAsync(body, cancel);
        if (first is not null && Encoding.ASCII.GetString(PktLine.Data(first)).StartsWith("# service=", StringComparison.Ordinal))
        {
            while (await PktLine.ReadAsync(body, cancel) is { } packet && !PktLine.IsFlush(packet))
            {
            }
        }
        else if (first is not null)
        {
            await output.WriteAsync(first, cancel);
        }

        await body.CopyToAsync(output, cancel);
        await output.FlushAsync(cancel);
        return true;
    }

    private async Task<bool> PostAsync(Stream body, string? protocol, CancellationToken cancel)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, RepoUrl + "/" + request.Service) { Content = new StreamContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue($"application/x-{request.Service}-request");
        Prepare(message, protocol);
        using var response = await client.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancel);
        if (!await CheckAsync(response, cancel))
        {
            return false;
        }

        await using var answer = await response.Content.ReadAsStreamAsync(cancel);
        await answer.CopyToAsync(output, cancel);
        await output.FlushAsync(cancel);
        return true;
    }

    private void Prepare(HttpRequestMessage message, string? protocol)
    {
        message.Headers.Authorization = credentials;
        if (protocol is not null)
        {
            message.Headers.Add("Git-Protocol", protocol);
        }
    }

    /// <summary>True on 200; otherwise the server's message on stderr as <c>ERROR: …</c> (what the user sees).</summary>
    private async Task<bool> CheckAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        var text = (await response.Content.ReadAsStringAsync(cancel)).Trim();
        await stderr.WriteLineAsync("ERROR: " + (text.Length is > 0 and < 2000 ? text : $"the server answered {(int)response.StatusCode}"));
        return false;
    }

    private static byte[] Concat(List<byte[]> packets) => [.. packets.SelectMany(p => p)];
}
