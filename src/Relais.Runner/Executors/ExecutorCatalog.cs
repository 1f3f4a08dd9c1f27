using Relais.Runner.Executors.Docker;
using Relais.Runner.Executors.Shell;

namespace Relais.Runner.Executors;

/// <summary>
/// The executors by name (<c>shell</c>, <c>docker</c>, <c>auto</c>): the one list <c>relais run</c>, <c>relais runner</c>
/// and the runner's config file choose from, each name with the factory that builds it.
/// </summary>
public static class ExecutorCatalog
{
    /// <summary>Each executor's factory, by name.</summary>
    public static IReadOnlyDictionary<string, Func<ExecutorSetup, IExecutor>> Factories { get; } =
        new Dictionary<string, Func<ExecutorSetup, IExecutor>>(StringComparer.Ordinal)
        {
            ["shell"] = Shell,
            ["docker"] = DockerExecutors.Create,
            ["auto"] = setup => new ImageRoutingExecutor(DockerExecutors.Create(setup), Shell(setup)),
        };

    /// <summary>The valid names, in the order they are documented.</summary>
    public static IReadOnlyList<string> Names { get; } = ["shell", "docker", "auto"];

    /// <summary>Whether <paramref name="name"/> is an executor.</summary>
    public static bool Contains(string name) => Factories.ContainsKey(name);

    /// <summary>The message for an unknown executor name, listing the valid ones.</summary>
    public static string Unknown(string name) => $"unknown executor `{name}`; known: {string.Join(", ", Names)}";

    /// <summary>Builds the executor called <paramref name="name"/>, or null when there is none by that name.</summary>
    public static IExecutor? Create(string name, ExecutorSetup setup) =>
        Factories.TryGetValue(name, out var create) ? create(setup) : null;

    private static ShellExecutor Shell(ExecutorSetup setup) =>
        new(new ShellExecutorOptions { BuildsDir = Path.GetFullPath(setup.BuildsDir), AllowUntrusted = setup.AllowUntrusted });
}

/// <summary>What an executor is built from.</summary>
/// <param name="BuildsDir">Where builds go (made absolute by the factory).</param>
public sealed record ExecutorSetup(string BuildsDir)
{
    /// <summary>The docker executor's settings (a runner entry's <c>docker:</c> block); its builds directory is <see cref="BuildsDir"/>.</summary>
    public DockerExecutorSettings? Docker { get; init; }

    /// <summary>The runner token whose leftovers the docker executor reaps in the background; null (<c>relais run</c>): no reaper.</summary>
    public string? RunnerToken { get; init; }

    /// <summary>The shell executor runs jobs that must be isolated anyway (the runner entry's <c>allow_untrusted</c>).</summary>
    public bool AllowUntrusted { get; init; }
}
