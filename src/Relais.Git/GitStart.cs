namespace Relais.Git;

/// <summary>
/// How to start one git process: the directory it runs in, its arguments (passed as a list, never through a shell)
/// and its environment. Every git process gets <c>GIT_TERMINAL_PROMPT=0</c> (it never waits for a password on a
/// terminal) and <c>LC_ALL=C</c> (messages we may parse are in English); <see cref="Environment"/> adds to or
/// overrides those.
/// </summary>
/// <param name="WorkingDirectory">Where git runs.</param>
/// <param name="Arguments">git's arguments, without <c>git</c> itself.</param>
public sealed record GitStart(string WorkingDirectory, IReadOnlyList<string> Arguments)
{
    /// <summary>The repository's git directory (<c>GIT_DIR</c>) for a bare repository; null to let git find it.</summary>
    public string? GitDir { get; init; }

    /// <summary>More environment variables for the process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
