using Relais.GitOps.Sources;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Sources;

/// <summary>How credentials reach git: only through its environment, key files private and removed afterwards.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GitAuthTests
{
    [Fact]
    public void Http_credentials_go_in_an_extra_header_through_the_environment_and_never_in_the_url()
    {
        using var temp = new TempDirectory();
        using var auth = GitAuth.For("https://deploy:s3cr3t-pass@git.example.com/group/app.git", null, temp.Path);
        Assert.Equal("https://git.example.com/group/app.git", auth.Url.Address);
        var env = auth.Environment;
        Assert.Equal("3", env["GIT_CONFIG_COUNT"]);
        Assert.Equal("credential.helper", env["GIT_CONFIG_KEY_0"]);
        Assert.Equal("http.extraHeader", env["GIT_CONFIG_KEY_1"]);
        Assert.Equal("Authorization: Basic " + Convert.ToBase64String("deploy:s3cr3t-pass"u8.ToArray()), env["GIT_CONFIG_VALUE_1"]);
        Assert.Equal(("http.followRedirects", "false"), (env["GIT_CONFIG_KEY_2"], env["GIT_CONFIG_VALUE_2"]));
        Assert.Equal("fatal: *** and ***", auth.Redact("fatal: s3cr3t-pass and " + Convert.ToBase64String("deploy:s3cr3t-pass"u8.ToArray())));
    }

    [Fact]
    public void A_secrets_bearer_token_wins_and_its_ca_is_a_private_file()
    {
        using var temp = new TempDirectory();
        var secret = new Dictionary<string, string> { ["username"] = "u", ["password"] = "p", ["bearerToken"] = "tok-123", ["ca.crt"] = "PEM" };
        string caFile;
        using (var auth = GitAuth.For("https://git.example.com/group/app.git", secret, temp.Path))
        {
            Assert.Equal("Authorization: Bearer tok-123", auth.Environment["GIT_CONFIG_VALUE_1"]);
            Assert.Equal("http.sslCAInfo", auth.Environment["GIT_CONFIG_KEY_3"]);
            caFile = auth.Environment["GIT_CONFIG_VALUE_3"];
            Assert.Equal("PEM", File.ReadAllText(caFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(caFile));
        }

        Assert.False(File.Exists(caFile));
    }

    [Fact]
    public void Ssh_uses_the_identity_and_known_hosts_with_strict_host_key_checking()
    {
        using var temp = new TempDirectory();
        var secret = new Dictionary<string, string> { ["identity"] = "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----", ["known_hosts"] = "[localhost]:2222 ssh-ed25519 AAAA" };
        using var auth = GitAuth.For("git@localhost:group/app.git", secret, temp.Path);
        Assert.True(auth.Url.IsSsh);
        var command = auth.Environment["GIT_SSH_COMMAND"];
        Assert.Contains("-o StrictHostKeyChecking=yes", command, StringComparison.Ordinal);
        Assert.Contains("-o BatchMode=yes", command, StringComparison.Ordinal);
        var identity = command.Split(" -i ")[1].Trim('\'');
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(identity));
        Assert.EndsWith("-----END OPENSSH PRIVATE KEY-----\n", File.ReadAllText(identity), StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN", command, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssh://git@host:2222/group/app.git", true)]
    [InlineData("git@host:group/app.git", true)]
    [InlineData("https://host/group/app.git", false)]
    [InlineData("/srv/git/app.git", false)]
    public void Tells_ssh_urls_apart(string url, bool ssh) => Assert.Equal(ssh, GitUrl.Parse(url).IsSsh);
}
