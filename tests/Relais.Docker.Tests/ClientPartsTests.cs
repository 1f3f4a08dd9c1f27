using System.Text;
using System.Text.Json.Nodes;
using Relais.Protocol.Jobs;
using Relais.Runner.Agent;
using Relais.Runner.Docker;

namespace Relais.Docker.Tests;

/// <summary>The parts of the client and executor that need no engine: names, aliases, globs, credentials, frames, config.</summary>
public sealed class ClientPartsTests
{
    [Theory]
    [InlineData("tutum/wordpress:latest", "tutum-wordpress,tutum__wordpress")]
    [InlineData("postgres:15", "postgres")]
    [InlineData("registry.example.com:5000/group/db@sha256:abc", "registry.example.com:5000-group-db,registry.example.com:5000__group__db")]
    public void Default_service_aliases_follow_gitlab(string image, string aliases) =>
        Assert.Equal(aliases.Split(','), ImageNames.DefaultAliases(image));

    [Theory]
    [InlineData("busybox", "busybox", "latest", "docker.io")]
    [InlineData("localhost:5000/app:1.2", "localhost:5000/app", "1.2", "localhost:5000")]
    [InlineData("registry.gitlab.com/g/p", "registry.gitlab.com/g/p", "latest", "registry.gitlab.com")]
    public void Image_references_split_into_repository_tag_and_registry(string reference, string image, string tag, string registry)
    {
        Assert.Equal((image, tag), ImageNames.SplitTag(reference));
        Assert.Equal(registry, ImageNames.Registry(reference));
    }

    [Theory]
    [InlineData("relais-test/busybox:latest", "relais-test/*", true)]
    [InlineData("relais-test/deep/busybox:latest", "relais-test/*", false)]
    [InlineData("relais-test/deep/busybox:latest", "relais-test/**", true)]
    [InlineData("docker:24-dind", "docker:*-dind", true)]
    [InlineData("alpine:3", "relais-test/*", false)]
    public void Allowed_image_globs_match_within_and_across_path_parts(string image, string pattern, bool allowed) =>
        Assert.Equal(allowed, ImageGlob.Allowed(image, [pattern]));

    [Fact]
    public void A_long_image_name_against_a_glob_of_many_stars_answers_at_once_and_a_trailing_newline_does_not_pass()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(ImageGlob.Matches(new string('a', 5_000) + "!", "**a**a**a**a**a**a**a**a**a**a**b"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.False(ImageGlob.Matches("alpine\n", "alpine"));
        Assert.True(ImageGlob.Matches("alpine", "alpine"));
    }

    [Fact]
    public void Registry_credentials_come_from_docker_auth_config_before_the_payload()
    {
        var config = "{\"auths\":{\"localhost:5000\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret")) + "\"}}}";
        JobCredential[] payload = [new() { Type = "registry", Url = "localhost:5000", Username = "gitlab-ci-token", Password = "job-token" }];

        var fromConfig = Decode(RegistryAuth.HeaderFor("localhost:5000/app:1", [config], payload)!);
        var fromPayload = Decode(RegistryAuth.HeaderFor("localhost:5000/app:1", [null], payload)!);

        Assert.Equal(("alice", "s3cret", "localhost:5000"), fromConfig);
        Assert.Equal(("gitlab-ci-token", "job-token", "localhost:5000"), fromPayload);
        Assert.Null(RegistryAuth.HeaderFor("other.example.com/app", [config], payload));
    }

    [Fact]
    public async Task The_multiplexed_stream_is_demultiplexed_in_order_across_reads()
    {
        static byte[] Frame(byte kind, string text)
        {
            var payload = Encoding.UTF8.GetBytes(text);
            return [kind, 0, 0, 0, (byte)(payload.Length >> 24), (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];
        }

        using var stream = new OneByteStream([.. Frame(1, "out "), .. Frame(2, "err "), .. Frame(1, "done\n")]);
        var seen = new StringBuilder();

        await MultiplexedStream.CopyAsync(stream, (kind, bytes) => seen.Append(kind).Append(':').Append(Encoding.UTF8.GetString(bytes.Span)).Append('|'), CancellationToken.None);

        Assert.Equal("out err done\n", string.Concat(seen.ToString().Split('|', StringSplitOptions.RemoveEmptyEntries).Select(p => p[2..])));
        Assert.StartsWith("1:o|", seen.ToString(), StringComparison.Ordinal);
        Assert.Contains("2:e|", seen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_runner_config_reads_a_docker_block_and_points_at_mistakes()
    {
        using var dir = new TempDirectory("config");
        var file = dir.Write("config.yml", """
            runners:
              - url: http://127.0.0.1:1/
                token: glrt-abc
                executor: docker
                docker:
                  image: relais-test/busybox:latest
                  pull_policy: [never, if-not-present]
                  privileged: true
                  privileged_as_capabilities: true
                  volumes: ["/cache", "/srv/data:/data:ro"]
                  memory: 512m
                  cpus: 1.5
                  tmpfs: {/scratch: "rw,size=64m"}
                  registry_certs_dir: /srv/certs.d
            """);
        var bad = dir.Write("bad.yml", "runners:\n  - url: http://127.0.0.1:1/\n    token: t\n    docker:\n      pull_policy: sometimes\n");

        var docker = AgentConfigLoader.LoadFile(file).Config!.Runners[0].Docker!;
        var error = AgentConfigLoader.LoadFile(bad).Error;

        Assert.Equal(("relais-test/busybox:latest", true, true, 512L << 20, 1.5), (docker.DefaultImage, docker.Privileged, docker.PrivilegedAsCapabilities, docker.Memory, docker.Cpus));
        Assert.Equal(["never", "if-not-present"], docker.PullPolicies);
        Assert.Equal(["/cache", "/srv/data:/data:ro"], docker.Volumes);
        Assert.Equal("rw,size=64m", docker.Tmpfs["/scratch"]);
        Assert.Equal("/srv/certs.d", docker.HostCertsDir);
        Assert.EndsWith("bad.yml:5:20: `sometimes` is not a pull policy (always, if-not-present, never)", error, StringComparison.Ordinal);
    }

    private static (string, string, string) Decode(string header)
    {
        var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header.Replace('-', '+').Replace('_', '/').PadRight((header.Length + 3) / 4 * 4, '='))))!;
        return (json["username"]!.GetValue<string>(), json["password"]!.GetValue<string>(), json["serveraddress"]!.GetValue<string>());
    }

    /// <summary>A stream that returns one byte per read, to split every frame header and payload.</summary>
    private sealed class OneByteStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
