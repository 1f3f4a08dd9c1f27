using Relais.Cli.Commands;

namespace Relais.Cli.Tests;

/// <summary><c>relais serve</c>'s registry options: <c>--registry-port</c> (default 5050 when installed, 0 off), <c>--registry-address</c>, <c>--registry-insecure</c>.</summary>
public sealed class ServeRegistryOptionsTests
{
    [Fact]
    public void The_port_defaults_to_5050_when_docker_registry_is_installed_and_0_turns_it_off()
    {
        Assert.True(ServeCommand.TryRegistryPort(null, "/usr/bin/docker-registry", out var byDefault, out var noLine));
        Assert.True(ServeCommand.TryRegistryPort("0", "/usr/bin/docker-registry", out var off, out _));
        Assert.True(ServeCommand.TryRegistryPort("5051", null, out var given, out var givenLine));

        Assert.Equal(5050, byDefault);
        Assert.Null(noLine);
        Assert.Null(off);
        Assert.Equal(5051, given);
        Assert.Null(givenLine);
    }

    [Fact]
    public void Without_docker_registry_the_registry_is_off_with_one_line()
    {
        Assert.True(ServeCommand.TryRegistryPort(null, null, out var port, out var line));

        Assert.Null(port);
        Assert.Equal("relais serve: the container registry is off: Distribution's docker-registry is not installed (Debian: docker-registry)", line);
    }

    [Theory]
    [InlineData("--registry-port", "x", "--registry-port takes a port number")]
    [InlineData("--registry-port", "70000", "--registry-port takes a port number")]
    [InlineData("--registry-port", "-1", "--registry-port takes a port number")]
    [InlineData("--registry-address", "https://ci.example.com", "--registry-address takes a host name or an IP address")]
    [InlineData("--registry-address", "ci.example.com:5050", "--registry-address takes a host name or an IP address")]
    public async Task Bad_values_are_refused_before_anything_starts(string option, string value, string message)
    {
        using var dir = new TempDirectory("serve-options");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await CommandLine.RunAsync(["serve", "--data", dir.Path, "--ssh-port", "0", option, value], stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "registry")));
    }

    [Theory]
    [InlineData("ci.example.com", true)]
    [InlineData("172.17.0.1", true)]
    [InlineData("[::1]", true)]
    [InlineData("registry", true)]
    [InlineData("a b", false)]
    public void Addresses_are_names_or_ips(string text, bool valid) => Assert.Equal(valid, ServeCommand.ValidHost(text));

    [Fact]
    public void The_usage_lists_the_registry_options()
    {
        Assert.Contains("--registry-port PORT", ServeCommand.Usage, StringComparison.Ordinal);
        Assert.Contains("--registry-address HOST", ServeCommand.Usage, StringComparison.Ordinal);
        Assert.Contains("--registry-insecure", ServeCommand.Usage, StringComparison.Ordinal);
    }
}
