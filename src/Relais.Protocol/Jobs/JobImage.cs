using System.Text.Json;

namespace Relais.Protocol.Jobs;

/// <summary>The job image (<c>image</c>).</summary>
public sealed record JobImage
{
    /// <summary>The image reference.</summary>
    public string Name { get; init; } = "";

    /// <summary>Overrides the image entrypoint; null keeps the image's.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Exposed ports.</summary>
    public IReadOnlyList<ImagePort> Ports { get; init; } = [];

    /// <summary>Executor-specific options.</summary>
    public ExecutorOptions? ExecutorOpts { get; init; }

    /// <summary><c>always</c>, <c>if-not-present</c>, <c>never</c>; null uses the runner's policy.</summary>
    public IReadOnlyList<string>? PullPolicy { get; init; }
}

/// <summary>A service container (<c>services[]</c>).</summary>
public sealed record JobService
{
    /// <summary>The image reference.</summary>
    public string Name { get; init; } = "";

    /// <summary>Host names of the service, several separated by commas or spaces.</summary>
    public string? Alias { get; init; }

    /// <summary>Overrides the image entrypoint.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Overrides the image command.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Exposed ports.</summary>
    public IReadOnlyList<ImagePort> Ports { get; init; } = [];

    /// <summary>Variables for this service only.</summary>
    public IReadOnlyList<JobVariable> Variables { get; init; } = [];

    /// <summary>Executor-specific options.</summary>
    public ExecutorOptions? ExecutorOpts { get; init; }

    /// <summary>Pull policies.</summary>
    public IReadOnlyList<string>? PullPolicy { get; init; }
}

/// <summary>A port of an image or service.</summary>
public sealed record ImagePort
{
    /// <summary>The port number.</summary>
    public int Number { get; init; }

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public string? Protocol { get; init; }

    /// <summary>A display name.</summary>
    public string? Name { get; init; }
}

/// <summary>Executor-specific image options (<c>executor_opts</c>).</summary>
public sealed record ExecutorOptions
{
    /// <summary>Docker options.</summary>
    public DockerExecutorOptions? Docker { get; init; }

    /// <summary>Kubernetes options.</summary>
    public KubernetesExecutorOptions? Kubernetes { get; init; }
}

/// <summary>Docker options of an image.</summary>
public sealed record DockerExecutorOptions
{
    /// <summary>The platform, e.g. <c>amd64</c>.</summary>
    public string? Platform { get; init; }

    /// <summary>The user to run as.</summary>
    public string? User { get; init; }
}

/// <summary>Kubernetes options of an image.</summary>
public sealed record KubernetesExecutorOptions
{
    /// <summary>The user, kept as sent (GitLab passes integers through as integers).</summary>
    public JsonElement? User { get; init; }
}
