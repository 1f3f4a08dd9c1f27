using System.Diagnostics;
using Relais.Server.Auth;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Registry;

/// <summary>A fact that needs both the Docker engine with the test images and Debian's <c>docker-registry</c>.</summary>
public sealed class DockerRegistryFactAttribute : FactAttribute
{
    public DockerRegistryFactAttribute()
    {
        if ((DockerTest.SkipReason ?? RegistryProcess.SkipReason) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// The host's Docker engine and CLI against a real <c>docker-registry</c> whose token realm is the test server's
/// <c>/jwt/auth</c>: <c>docker login</c>, <c>push</c> and <c>pull</c> with each kind of credential, as pipelines and
/// users run them. Each test has its own <c>DOCKER_CONFIG</c> folder and removes the tags it makes.
/// </summary>
public sealed class RegistryDockerTests
{
    [DockerRegistryFact]
    public async Task Docker_logs_in_pushes_and_pulls_with_each_credential_as_the_token_endpoint_decides()
    {
        var fixture = await RegistryFixture.StartAsync();
        await using var s = RegistryAuthServer.Of(fixture);
        var registry = fixture.Setup;
        using var config = new TempDirectory("docker-config");
        var docker = new DockerCli(config.Path);
        var app = await s.ProjectAsync("root/app");
        await s.ProjectAsync("root/other");
        await s.ProjectAsync("root/site", "public");
        var reporter = await s.UserAsync("rita", app, AccessLevel.Reporter);
        var reporterToken = await s.TokenAsync(reporter, TokenScopes.ReadRegistry, TokenScopes.WriteRegistry);
        var reader = await s.DeployTokenAsync(app, "reader", "read_registry");
        var job = await s.RunningJobAsync(app, null);
        string Image(string path) => $"{registry.Address}/{path}";
        var tags = new[] { Image("root/app:1"), Image("root/app:2"), Image("root/other:1"), Image("root/site:1") };
        try
        {
            // A running job's token: its own project's repository, push and pull.
            await docker.OkAsync("login", registry.Address, "-u", "gitlab-ci-token", "--password-stdin", input: job.Token);
            await docker.OkAsync("tag", DockerTest.Busybox, Image("root/app:1"));
            await docker.OkAsync("push", Image("root/app:1"));
            await docker.OkAsync("rmi", Image("root/app:1"));
            await docker.OkAsync("pull", Image("root/app:1"));
            Assert.Contains(await s.Stores.ContainerRepositories.ListAsync(app.Id), r => r.Name == "");

            // The same token cannot push to another project.
            await docker.OkAsync("tag", DockerTest.Busybox, Image("root/other:1"));
            Assert.Contains("denied", await docker.FailsAsync("push", Image("root/other:1")), StringComparison.OrdinalIgnoreCase);

            // A Reporter's write_registry token pulls but cannot push.
            await docker.OkAsync("login", registry.Address, "-u", "rita", "--password-stdin", input: reporterToken);
            await docker.OkAsync("tag", DockerTest.Busybox, Image("root/app:2"));
            Assert.Contains("denied", await docker.FailsAsync("push", Image("root/app:2")), StringComparison.OrdinalIgnoreCase);
            await docker.OkAsync("rmi", Image("root/app:1"));
            await docker.OkAsync("pull", Image("root/app:1"));

            // A read_registry deploy token pulls its project and cannot push.
            await docker.OkAsync("login", registry.Address, "-u", "reader", "--password-stdin", input: reader);
            await docker.OkAsync("rmi", Image("root/app:1"));
            await docker.OkAsync("pull", Image("root/app:1"));
            Assert.Contains("denied", await docker.FailsAsync("push", Image("root/app:2")), StringComparison.OrdinalIgnoreCase);

            // Anonymous: a public project's image pulls, a private one's does not.
            await docker.OkAsync("login", registry.Address, "-u", "root", "--password-stdin", input: TestServer.RootToken);
            await docker.OkAsync("tag", DockerTest.Busybox, Image("root/site:1"));
            await docker.OkAsync("push", Image("root/site:1"));
            await docker.OkAsync("logout", registry.Address);
            await docker.OkAsync("rmi", Image("root/site:1"), Image("root/app:1"));
            await docker.OkAsync("pull", Image("root/site:1"));
            await docker.FailsAsync("pull", Image("root/app:1"));

            // A wrong password fails docker login.
            Assert.Contains("unauthorized", await docker.FailsAsync("login", registry.Address, "-u", "rita", "--password-stdin", input: "not-her-password"), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            foreach (var tag in tags)
            {
                await docker.RunAsync(["rmi", tag], null);
            }
        }
    }

    /// <summary>The host's docker CLI with its own configuration folder (never root's <c>~/.docker</c>).</summary>
    private sealed class DockerCli(string configFolder)
    {
        public async Task OkAsync(params string[] args) => await OkAsync(args, null);

        public async Task OkAsync(string a0, string a1, string a2, string a3, string a4, string input) => await OkAsync([a0, a1, a2, a3, a4], input);

        public async Task<string> FailsAsync(params string[] args) => await FailsAsync(args, null);

        public async Task<string> FailsAsync(string a0, string a1, string a2, string a3, string a4, string input) => await FailsAsync([a0, a1, a2, a3, a4], input);

        private async Task OkAsync(string[] args, string? input)
        {
            var (code, output) = await RunAsync(args, input);
            Assert.True(code == 0, $"docker {string.Join(' ', args)} exited {code}:\n{output}");
        }

        private async Task<string> FailsAsync(string[] args, string? input)
        {
            var (code, output) = await RunAsync(args, input);
            Assert.True(code != 0, $"docker {string.Join(' ', args)} should have failed:\n{output}");
            return output;
        }

        public async Task<(int Code, string Output)> RunAsync(string[] args, string? input)
        {
            var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            start.Environment["DOCKER_CONFIG"] = configFolder;
            if (Environment.GetEnvironmentVariable("DOCKER_HOST") is null)
            {
                start.Environment["DOCKER_HOST"] = "unix:///var/run/docker.sock";
            }

            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
            }

            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
