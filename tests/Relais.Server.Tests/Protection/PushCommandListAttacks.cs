using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Protection;

/// <summary>The command list a push's rules are applied to is held in memory: it has a ceiling.</summary>
public sealed class PushCommandListAttacks
{
    [Fact]
    public async Task A_push_with_more_than_16_MiB_of_ref_commands_is_refused_with_413_and_moves_nothing()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        var sha = new string('1', 40);
        var body = new MemoryStream();
        for (var i = 0; body.Length <= 17 * 1024 * 1024; i++)
        {
            var line = $"{new string('0', 40)} {sha} refs/heads/branch-{i:D8}-{new string('x', 100)}\n";
            body.Write(Encoding.ASCII.GetBytes($"{line.Length + 4:x4}{line}"));
        }

        body.Write("0000"u8);
        body.Position = 0;
        using var request = new HttpRequestMessage(HttpMethod.Post, "root/demo.git/git-receive-pack") { Content = new StreamContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-git-receive-pack-request");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("root:" + TestServer.RootToken)));
        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDir, "repos", "root", "demo.git", "refs", "heads"), "*", SearchOption.AllDirectories));
        Assert.Null(await server.Host.Stores.Projects.FindProjectAsync("root/demo"));
    }
}
