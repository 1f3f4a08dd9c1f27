using Microsoft.Extensions.Time.Testing;
using Relais.Server.Git;
using Relais.Server.Ssh;

namespace Relais.Server.Tests.Ssh;

/// <summary>The pure parts of git over SSH: the relay tokens, where sshd listens, and the loopback URL its commands use.</summary>
public sealed class SshGitPlumbingTests
{
    [Fact]
    public void A_relay_token_is_good_for_its_project_operation_and_ten_minutes_only()
    {
        using var dir = new TempDirectory("ssh-secret");
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var tokens = new SshGitTokens(SshShellSecret.Open(dir.Combine("secret")), time);
        var token = tokens.Issue(42, "group/app", GitOperation.Write);

        Assert.Equal(42, tokens.Verify(token, "group/app", GitOperation.Write));
        Assert.Null(tokens.Verify(token, "group/other", GitOperation.Write));
        Assert.Null(tokens.Verify(token, "group/app", GitOperation.Read));
        Assert.Null(tokens.Verify(token.Replace("42.", "43.", StringComparison.Ordinal), "group/app", GitOperation.Write));
        Assert.Null(tokens.Verify(token[..^2] + "AA", "group/app", GitOperation.Write));
        var otherSecret = new SshGitTokens(SshShellSecret.Open(dir.Combine("other-secret")), time);
        Assert.Null(otherSecret.Verify(token, "group/app", GitOperation.Write));
        time.Advance(SshGitTokens.Lifetime + TimeSpan.FromSeconds(1));
        Assert.Null(tokens.Verify(token, "group/app", GitOperation.Write));
    }

    [Fact]
    public void The_shell_secret_is_made_once_owner_only_and_compared_whole()
    {
        using var dir = new TempDirectory("ssh-secret");
        var first = SshShellSecret.Open(dir.Combine("secret"));
        var again = SshShellSecret.Open(dir.Combine("secret"));

        Assert.Equal(first.Value, again.Value);
        Assert.Equal(64, first.Value.Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.Combine("secret")));
        }

        Assert.True(first.Matches(first.Value));
        Assert.False(first.Matches(first.Value[..^1]));
        Assert.False(first.Matches(""));
        Assert.False(first.Matches(null));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1")]
    [InlineData("http://localhost:8080", "127.0.0.1")]
    [InlineData("http://127.0.0.1:8080;http://10.1.2.3:8080", "127.0.0.1,10.1.2.3")]
    [InlineData("http://0.0.0.0:8080", "0.0.0.0")]
    [InlineData("http://*:8080;http://[::]:8080", "0.0.0.0,[::]")]
    [InlineData("http://[::1]:8080", "127.0.0.1,[::1]")]
    [InlineData("http://ci.example.com:8080", "127.0.0.1")]
    public void Sshd_listens_on_loopback_and_where_the_listen_urls_say(string urls, string expected)
    {
        Assert.Equal(expected, string.Join(',', SshdConfig.ListenAddresses(urls)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("http://[::]:5000", "http://127.0.0.1:5000")]
    [InlineData("http://0.0.0.0:5000", "http://127.0.0.1:5000")]
    [InlineData("https://127.0.0.1:5001;http://[::1]:5000", "http://[::1]:5000")]
    [InlineData("http://10.1.2.3:5000", null)]
    public void Sshds_commands_reach_the_coordinator_on_loopback_only(string bound, string? expected)
    {
        Assert.Equal(expected, SshService.InternalUrl(bound.Split(';')));
    }

    [Fact]
    public void A_folder_the_ssh_account_cannot_pass_through_is_named()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDirectory("ssh-reach");
        var closed = dir.Combine("closed");
        Directory.CreateDirectory(dir.Combine("closed", "data"));
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Assert.Equal(closed, SshService.Closed(dir.Combine("closed", "data")));
        Assert.Null(SshService.Closed(closed));
    }

    [Fact]
    public void The_sshd_config_allows_keys_from_relais_only_without_tty_forwarding_or_shell_environment()
    {
        var config = SshdConfig.Build(2222, ["127.0.0.1"], ["/d/ssh/ssh_host_ed25519_key"], new SshAccount("git", Separate: true), ["/usr/bin/relais"], ["--url", "http://127.0.0.1:8080", "--secret-file", "/d/ssh-home/shell-secret"]);

        Assert.Contains("AuthorizedKeysCommand /usr/bin/relais ssh-keys --url http://127.0.0.1:8080 --secret-file /d/ssh-home/shell-secret %t %k\n", config, StringComparison.Ordinal);
        foreach (var line in new[] { "AuthorizedKeysFile none", "AllowUsers git", "AuthorizedKeysCommandUser git", "PasswordAuthentication no", "PermitTTY no", "DisableForwarding yes", "PermitUserEnvironment no", "AcceptEnv GIT_PROTOCOL", "ListenAddress 127.0.0.1" })
        {
            Assert.Contains(line + "\n", config, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Subsystem", config, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => SshdConfig.Build(2222, ["127.0.0.1"], ["/my keys/k"], new SshAccount("git", true), ["/usr/bin/relais"], []));
    }
}
