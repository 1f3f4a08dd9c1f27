using System.Globalization;
using Relais.Runner.Executors.Docker;

namespace Relais.Runner.Agent;

/// <summary>The <c>docker:</c> block of a runner entry.</summary>
public static partial class AgentConfigLoader
{
    private static DockerExecutorSettings DockerOptions(Node node)
    {
        var options = new DockerExecutorSettings { BuildsDir = "" };
        foreach (var (key, value) in node.Map("`docker`"))
        {
            options = key.Text switch
            {
                "host" => options with { Endpoint = (options.Endpoint ?? new Relais.Runner.Docker.DockerEndpoint("")) with { Host = value.Scalar(key.Text) } },
                "tls_verify" => options with { Endpoint = (options.Endpoint ?? Relais.Runner.Docker.DockerEndpoint.FromEnvironment()) with { TlsVerify = Bool(value, key.Text) } },
                "tls_cert_path" => options with { Endpoint = (options.Endpoint ?? Relais.Runner.Docker.DockerEndpoint.FromEnvironment()) with { CertPath = value.Scalar(key.Text) } },
                "image" => options with { DefaultImage = value.Scalar(key.Text) },
                "pull_policy" => options with { PullPolicies = PullPolicies(value, key.Text) },
                "allowed_pull_policies" => options with { AllowedPullPolicies = PullPolicies(value, key.Text) },
                "allowed_images" => options with { AllowedImages = value.Strings(key.Text) },
                "allowed_services" => options with { AllowedServices = value.Strings(key.Text) },
                "privileged" => options with { Privileged = Bool(value, key.Text) },
                "privileged_as_capabilities" => options with { PrivilegedAsCapabilities = Bool(value, key.Text) },
                "cap_add" => options with { CapAdd = value.Strings(key.Text) },
                "cap_drop" => options with { CapDrop = value.Strings(key.Text) },
                "security_opt" => options with { SecurityOpt = value.Strings(key.Text) },
                "volumes" => options with { Volumes = value.Strings(key.Text) },
                "tmpfs" => options with { Tmpfs = value.Map(key.Text).ToDictionary(p => p.Key.Text, p => p.Value.Scalar(p.Key.Text), StringComparer.Ordinal) },
                "shm_size" => options with { ShmSize = Size(value, key.Text) },
                "memory" => options with { Memory = Size(value, key.Text) },
                "cpus" => options with { Cpus = Cpus(value, key.Text) },
                "network_mode" => options with { NetworkMode = value.Scalar(key.Text) },
                "extra_hosts" => options with { ExtraHosts = value.Strings(key.Text) },
                "dns" => options with { Dns = value.Strings(key.Text) },
                "mount_docker_socket" => options with { MountDockerSocket = Bool(value, key.Text) },
                "registry_certs_dir" => options with { HostCertsDir = value.Scalar(key.Text) is { Length: > 0 } dir ? dir : null },
                "wait_for_services_timeout" => options with { WaitForServicesTimeout = TimeSpan.FromSeconds(value.Int(key.Text, 0)) },
                "reap_older_than" => options with { ReapOlderThan = TimeSpan.FromSeconds(value.Int(key.Text, 0)) },
                "reap_interval" => options with { ReapInterval = TimeSpan.FromSeconds(value.Int(key.Text, 0)) },
                _ => throw new ConfigError(key.At, $"unknown docker key `{key.Text}`"),
            };
        }

        return options;
    }

    private static bool Bool(Node value, string key) => value.Scalar(key) switch
    {
        "true" or "yes" => true,
        "false" or "no" => false,
        _ => throw new ConfigError(value.At, $"`{key}` should be true or false, not `{value.Text}`"),
    };

    private static List<string> PullPolicies(Node value, string key)
    {
        var policies = value.Strings(key);
        return policies.FirstOrDefault(p => p is not ("always" or "if-not-present" or "never")) is { } bad
            ? throw new ConfigError(value.At, $"`{bad}` is not a pull policy (always, if-not-present, never)")
            : policies;
    }

    private static long Size(Node value, string key)
    {
        try
        {
            return ContainerSpecs.ParseSize(value.Scalar(key));
        }
        catch (FormatException)
        {
            throw new ConfigError(value.At, $"`{key}` should be a size such as 512m or 2g, not `{value.Text}`");
        }
    }

    private static double Cpus(Node value, string key) =>
        double.TryParse(value.Scalar(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var cpus) && cpus >= 0
            ? cpus
            : throw new ConfigError(value.At, $"`{key}` should be a number of CPUs such as 1.5, not `{value.Text}`");
}
