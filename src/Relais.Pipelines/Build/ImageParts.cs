using System.Collections.Immutable;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Build;

/// <summary>Reads <c>image</c> and <c>services</c>, with their executor options and ports, into plan values.</summary>
internal static class ImageParts
{
    public static ImagePlan? Image(YamlNode? node) => node switch
    {
        YamlScalar s when s.Text() is { } name => new ImagePlan(name, PullPolicy: []),
        YamlMapping m when m["name"].Text() is { } name => new ImagePlan(
            name,
            m.ContainsKey("entrypoint") ? m["entrypoint"].Strings() : null,
            m["pull_policy"].Strings(),
            Docker(m["docker"].Map()),
            Kubernetes(m["kubernetes"].Map()),
            Ports(m["ports"])),
        _ => null,
    };

    public static ImmutableArray<ServicePlan> Services(YamlNode? node) =>
        node is YamlSequence seq ? [.. seq.Items.Select(Service).OfType<ServicePlan>()] : [];

    private static ServicePlan? Service(YamlNode node) => node switch
    {
        YamlScalar s when s.Text() is { } name => new ServicePlan(name, Variables: [], PullPolicy: []),
        YamlMapping m when m["name"].Text() is { } name => new ServicePlan(
            name,
            m["alias"].Text(),
            m.ContainsKey("entrypoint") ? m["entrypoint"].Strings() : null,
            m.ContainsKey("command") ? m["command"].Strings() : null,
            JobParts.Variables(m["variables"]),
            m["pull_policy"].Strings(),
            Docker(m["docker"].Map()),
            Kubernetes(m["kubernetes"].Map()),
            Ports(m["ports"])),
        _ => null,
    };

    private static DockerOptionsPlan? Docker(YamlMapping? m) => m is null ? null : new(m["platform"].Text(), m["user"].Text());

    /// <summary><c>kubernetes:user</c> stays a number when written as one (<c>user: 1000</c>): the payload sends it so.</summary>
    private static KubernetesOptionsPlan? Kubernetes(YamlMapping? m) => m is null ? null
        : m["user"] is YamlScalar { IsNull: false } user
            ? user.AsInt() is { } uid ? new KubernetesOptionsPlan(Uid: uid) : new KubernetesOptionsPlan(User: user.AsText())
            : new KubernetesOptionsPlan();

    private static ImmutableArray<PortPlan> Ports(YamlNode? ports) => ports is YamlSequence seq
        ? [.. seq.Items.Select(p => p switch
        {
            YamlMapping m => new PortPlan((int)(m["number"].Int() ?? 0), m["protocol"].Text(), m["name"].Text()),
            _ => new PortPlan((int)(p.Int() ?? 0)),
        })]
        : [];
}
