using System.Net;
using Relais.Server.Tests.Security;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// The generated root password: printed once at the first start, never again in the server's output, and its
/// file <c>DATA/initial-root-password</c> gone once root has signed in with it (or changed it).
/// </summary>
public sealed class RootPasswordTests
{
    [Fact]
    public async Task The_initial_root_password_lingers_in_its_file_and_the_log()
    {
        var first = new StringWriter();
        var server = await TestServer.StartAsync(Stores.Sqlite, configure: o => o with { Output = first });
        server.KeepData = true;
        var file = Path.Combine(server.DataDir, "initial-root-password");
        var password = (await File.ReadAllTextAsync(file)).Trim();
        Assert.Equal(1, Occurrences(first.ToString(), password)); // shown once

        // A restart before root signs in: the password is not printed again (the file is still there).
        await server.DisposeAsync();
        var second = new StringWriter();
        server = await TestServer.StartAsync(Stores.Sqlite, server.DataDir, configure: o => o with { Output = second });
        server.KeepData = true;
        Assert.DoesNotContain(password, second.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(file));

        // A failed sign-in leaves the file; root's first successful one deletes it.
        using (var wrong = SessionClients.New(server))
        {
            await SessionClients.SignInAsync(wrong, new() { ["username"] = "root", ["password"] = "not it" });
        }

        Assert.True(File.Exists(file));
        using var browser = await SessionClients.SignedInAsync(server, "root", password);
        Assert.False(File.Exists(file));

        await server.DisposeAsync();
        var third = new StringWriter();
        server = await TestServer.StartAsync(Stores.Sqlite, server.DataDir, configure: o => o with { Output = third });
        Assert.DoesNotContain(password, third.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("initial-root-password", third.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Root_changes_the_password_before_ever_signing_in_and_the_old_file_goes()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        var file = Path.Combine(server.DataDir, "initial-root-password");
        var password = (await File.ReadAllTextAsync(file)).Trim();

        var (status, _) = await SecurityFixture.SendAsync(
            server.Http, HttpMethod.Put, "api/v4/user/relais_password", TestServer.RootToken, $$"""{"current_password":"{{password}}","password":"a new root password"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(File.Exists(file));
        using var browser = await SessionClients.SignedInAsync(server, "root", "a new root password");
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
