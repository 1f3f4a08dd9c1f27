namespace Relais.Server.Processes;

/// <summary>
/// What a <see cref="SupervisedProcess"/> runs: the program and its arguments, where its pid is kept, how a leftover
/// of it is recognised, which of its log lines says it serves, and what of its log lines is passed on.
/// </summary>
internal sealed record SupervisedProcessSpec
{
    /// <summary>The name in the server's log lines about it and the prefix of its own (<c>sshd</c>, <c>registry</c>).</summary>
    public required string Name { get; init; }

    public required string Program { get; init; }

    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>The pid file: written at each start, deleted at a clean stop.</summary>
    public required string PidPath { get; init; }

    /// <summary>A process named in the pid file is a leftover of this one only when its command line holds this text (its config path).</summary>
    public required string Marker { get; init; }

    /// <summary>Whether a log line says the process serves (its listeners are open).</summary>
    public required Func<string, bool> IsReady { get; init; }

    /// <summary>What is passed on of a log line (after the name's prefix); null drops it. Default: the line itself.</summary>
    public Func<string, string?> Pass { get; init; } = line => line;

    /// <summary>How long a start waits for <see cref="IsReady"/> before logging that it still tries.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
