using System.Globalization;
using System.Text.Json.Nodes;
using Relais.Runner.Docker;

namespace Relais.Runner.Executors.Docker;

/// <summary>The Engine API create bodies of job and service containers, from the runner's options.</summary>
public static class ContainerSpecs
{
    /// <summary>The capability set that stands in for <c>--privileged</c> (see <see cref="DockerExecutorSettings.PrivilegedAsCapabilities"/>).</summary>
    public static readonly IReadOnlyList<string> PrivilegedSecurityOpt = ["seccomp=unconfined", "apparmor=unconfined", SystemPathsUnconfined];

    /// <summary>A CLI option, not an engine one: it means empty <c>MaskedPaths</c> and <c>ReadonlyPaths</c>.</summary>
    private const string SystemPathsUnconfined = "systempaths=unconfined";

    /// <summary>A container body: image, entrypoint override, command, environment, labels, mounts and network.</summary>
    internal static JsonObject Container(
        DockerExecutorSettings options, ContainerRequest request)
    {
        var spec = new JsonObject
        {
            ["Image"] = request.Image,
            ["Env"] = DockerClient.StringArray(request.Environment.Select(e => e.Key + "=" + e.Value)),
            ["Labels"] = DockerClient.StringMap(request.Labels),
            ["AttachStdout"] = true,
            ["AttachStderr"] = true,
            ["Tty"] = false,
            ["OpenStdin"] = false,
            ["HostConfig"] = HostConfig(options, request),
        };
        if (request.Entrypoint is not null)
        {
            spec["Entrypoint"] = DockerClient.StringArray(request.Entrypoint.Count == 0 ? [""] : request.Entrypoint);
        }

        if (request.Command is not null)
        {
            spec["Cmd"] = DockerClient.StringArray(request.Command);
        }

        if (request.WorkingDir is not null)
        {
            spec["WorkingDir"] = request.WorkingDir;
        }

        if (request.User is { Length: > 0 } user)
        {
            spec["User"] = user;
        }

        if (request.Network is not null)
        {
            spec["NetworkingConfig"] = new JsonObject
            {
                ["EndpointsConfig"] = new JsonObject { [request.Network] = new JsonObject { ["Aliases"] = DockerClient.StringArray(request.Aliases) } },
            };
        }

        return spec;
    }

    private static JsonObject HostConfig(DockerExecutorSettings options, ContainerRequest request)
    {
        var capAdd = options.CapAdd.ToList();
        var capDrop = options.CapDrop.ToList();
        var securityOpt = options.SecurityOpt.ToList();
        var binds = request.Binds.ToList();
        var host = new JsonObject();
        if (request.Privileged && options.PrivilegedAsCapabilities)
        {
            capAdd.Add("ALL");
            capDrop.Add("SYS_RESOURCE");
            securityOpt.AddRange(PrivilegedSecurityOpt);
            host["CgroupnsMode"] = "host";
            binds.Add("/sys/fs/cgroup:/sys/fs/cgroup:rw");
        }
        else if (request.Privileged)
        {
            host["Privileged"] = true;
        }

        host["Binds"] = DockerClient.StringArray(binds);
        host["CapAdd"] = DockerClient.StringArray(capAdd.Distinct());
        host["CapDrop"] = DockerClient.StringArray(capDrop.Distinct());
        if (securityOpt.Remove(SystemPathsUnconfined))
        {
            securityOpt.RemoveAll(o => o == SystemPathsUnconfined);
            host["MaskedPaths"] = new JsonArray();
            host["ReadonlyPaths"] = new JsonArray();
        }

        host["SecurityOpt"] = DockerClient.StringArray(securityOpt.Distinct());
        host["Tmpfs"] = DockerClient.StringMap(options.Tmpfs.Concat(request.Tmpfs));
        host["ExtraHosts"] = DockerClient.StringArray(options.ExtraHosts);
        host["Dns"] = DockerClient.StringArray(options.Dns);
        if (options.ShmSize > 0)
        {
            host["ShmSize"] = options.ShmSize;
        }

        if (options.Memory > 0)
        {
            host["Memory"] = options.Memory;
        }

        if (options.Cpus > 0)
        {
            host["NanoCpus"] = (long)(options.Cpus * 1e9);
        }

        var mode = request.Network ?? options.NetworkMode;
        if (mode is not null)
        {
            host["NetworkMode"] = mode;
        }

        return host;
    }

    /// <summary>Parses a size such as <c>512m</c>, <c>2g</c> or a plain byte count.</summary>
    public static long ParseSize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim().ToLowerInvariant().TrimEnd('b');
        var factor = value.Length > 0 ? value[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, _ => 1L } : 1L;
        var digits = factor == 1 ? value : value[..^1];
        return (long)(double.Parse(digits, CultureInfo.InvariantCulture) * factor);
    }
}

/// <summary>What one container needs beyond the runner's options.</summary>
internal sealed record ContainerRequest
{
    public required string Image { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Binds { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    public string? Network { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public bool Privileged { get; init; }
}
