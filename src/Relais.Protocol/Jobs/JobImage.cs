using System.Text.Json;

namespace Relais.Protocol.Jobs;

/// <summary>The job image (<c>image</c>).</summary>
public sealed record JobImage
{
    /// <summary>The image reference.</summary>
    public string Name { get; set; } = "";

    /// <summary>Overrides the image entrypoint; null keeps the image's.</summary>
    public IReadOnlyList<string>? Entrypoint { get; set; }

    /// <summary>Exposed ports.</summary>
    public IReadOnlyList<ImagePort> Ports { get; set; } = [];

    /// <summary>Executor-specific options.</summary>
    public ExecutorOptions? ExecutorOpts { get; set; }

    /// <summary><c>always</c>, <c>if-not-present</c>, <c>never</c>; null uses the runner's policy.</summary>
    public IReadOnlyList<string>? PullPolicy { get; set; }
}

/// <summary>A service container (<c>services[]</c>).</summary>
public sealed record JobService
{
    /// <summary>The image reference.</summary>
    public string Name { get; set; } = "";

    /// <summary>Host names of the service, several separated by commas or spaces.</summary>
    public string? Alias { get; set; }

    /// <summary>Overrides the image entrypoint.</summary>
    public IReadOnlyList<string>? Entrypoint { get; set; }

    /// <summary>Overrides the image command.</summary>
    public IReadOnlyList<string>? Command { get; set; }

    /// <summary>Exposed ports.</summary>
    public IReadOnlyList<ImagePort> Ports { get; set; } = [];

    /// <summary>Variables for this service only.</summary>
    public IReadOnlyList<JobVariable> Variables { get; set; } = [];

    /// <summary>Executor-specific options.</summary>
    public ExecutorOptions? ExecutorOpts { get; set; }

    /// <summary>Pull policies.</summary>
    public IReadOnlyList<string>? PullPolicy { get; set; }
}

/// <summary>A port of an image or service.</summary>
public sealed record ImagePort
{
    /// <summary>The port number.</summary>
    public int Number { get; set; }

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public string? Protocol { get; set; }

    /// <summary>A display name.</summary>
    public string? Name { get; set; }
}

/// <summary>Executor-specific image options (<c>executor_opts</c>).</summary>
public sealed record ExecutorOptions
{
    /// <summary>Docker options.</summary>
    public DockerExecutorOptions? Docker { get; set; }

    /// <summary>Kubernetes options.</summary>
    public KubernetesExecutorOptions? Kubernetes { get; set; }
}

/// <summary>Docker options of an image.</summary>
public sealed record DockerExecutorOptions
{
    /// <summary>The platform, e.g. <c>amd64</c>.</summary>
    public string? Platform { get; set; }

    /// <summary>The user to run as.</summary>
    public string? User { get; set; }
}

/// <summary>Kubernetes options of an image.</summary>
public sealed record KubernetesExecutorOptions
{
    /// <summary>The user, kept as sent (GitLab passes integers through as integers).</summary>
    public JsonElement? User { get; set; }
}
