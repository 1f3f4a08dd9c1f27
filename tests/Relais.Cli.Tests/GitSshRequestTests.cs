using Relais.Cli.Commands.Ssh;

namespace Relais.Cli.Tests;

/// <summary>What <c>relais ssh-git</c> accepts in <c>SSH_ORIGINAL_COMMAND</c>: the two git services on one project, nothing else.</summary>
public sealed class GitSshRequestTests
{
    [Theory]
    [InlineData("git-upload-pack 'group/app.git'", "git-upload-pack", "group/app")]
    [InlineData("git-receive-pack '/group/app.git'", "git-receive-pack", "group/app")]
    [InlineData("git-upload-pack \"group/app\"", "git-upload-pack", "group/app")]
    [InlineData("git upload-pack group/app.git", "git-upload-pack", "group/app")]
    [InlineData("git-upload-pack /group/my.app-1_x.git/", "git-upload-pack", "group/my.app-1_x")]
    [InlineData("git-receive-pack 'acme/web/app.git'", "git-receive-pack", "acme/web/app")]
    public void Git_services_on_a_project_path_are_understood(string command, string service, string path)
    {
        Assert.Equal(new GitSshRequest(service, path), GitSshRequest.Parse(command));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sh")]
    [InlineData("git-upload-archive 'group/app.git'")]
    [InlineData("git-upload-pack 'group/app.git'; rm -rf /")]
    [InlineData("git-upload-pack '../../etc/passwd'")]
    [InlineData("git-upload-pack 'group/../app.git'")]
    [InlineData("git-upload-pack 'group//app.git'")]
    [InlineData("git-upload-pack '$(id)/app.git'")]
    [InlineData("git-upload-pack 'group/app.git")]
    [InlineData("git-upload-pack group/.hidden")]
    [InlineData("git upload-pack")]
    public void Anything_else_is_refused(string command)
    {
        Assert.Null(GitSshRequest.Parse(command));
    }
}
