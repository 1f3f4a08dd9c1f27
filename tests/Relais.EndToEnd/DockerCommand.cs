namespace Relais.EndToEnd;

/// <summary>The host's docker CLI against the test engine, with a client configuration of its own (never root's <c>~/.docker</c>).</summary>
internal static class DockerCommand
{
    private static readonly string Config = Path.Combine(Path.GetTempPath(), "relais-e2e-docker-config");

    /// <summary>Runs <c>docker ARGS</c>; returns the exit code and both outputs.</summary>
    public static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        SshGitServer.RunAsync("docker", args, environment: new Dictionary<string, string> { ["DOCKER_CONFIG"] = Config });

    /// <summary>Runs <c>docker ARGS</c>, asserts it succeeded and returns its trimmed standard output.</summary>
    public static async Task<string> OkAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.True(code == 0, $"docker {string.Join(' ', args)} exited {code}:\n{output}{error}");
        return output.Trim();
    }
}
