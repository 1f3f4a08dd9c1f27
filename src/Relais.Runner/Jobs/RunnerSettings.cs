using Relais.Protocol.Jobs;
using Relais.Runner.Sources;
using Relais.Runner.Trace;

namespace Relais.Runner.Jobs;

/// <summary>Runner-wide settings that shape every job (the runner's part of <c>config.toml</c>).</summary>
public sealed record RunnerSettings
{
    /// <summary>The runner's description, shown in the log header.</summary>
    public string Name { get; init; } = "relais";

    /// <summary>The runner token; its short form names the build directory and <c>CI_RUNNER_SHORT_TOKEN</c>.</summary>
    public string Token { get; init; } = "";

    /// <summary>Identifies this runner manager (shown in the header).</summary>
    public string? SystemId { get; init; }

    /// <summary>The job timeout when the payload's <c>runner_info.timeout</c> is not set.</summary>
    public TimeSpan DefaultJobTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long <c>after_script</c> may run (gitlab-runner's default: 5 minutes).</summary>
    public TimeSpan AfterScriptTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long cleanup may take; it runs on its own token, after cancel and abort too.</summary>
    public TimeSpan CleanupTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The log size cap in bytes (0: none).</summary>
    public long OutputLimit { get; init; } = JobLog.DefaultLimit;

    /// <summary>Variables every job of this runner gets first (lowest precedence).</summary>
    public IReadOnlyList<JobVariable> Variables { get; init; } = [];

    /// <summary>The short token: the first 8 characters after a <c>glrt-</c>-style prefix, or <c>local</c> without a token.</summary>
    public string ShortToken
    {
        get
        {
            var token = Token;
            var dash = token.IndexOf('-', StringComparison.Ordinal);
            if (token.StartsWith("gl", StringComparison.Ordinal) && dash is > 0 and < 8)
            {
                token = token[(dash + 1)..];
            }

            return token.Length == 0 ? "local" : token[..Math.Min(8, token.Length)];
        }
    }
}

/// <summary>Per-job options of the caller (the runner loop's slot, or <c>relais run</c>'s choices).</summary>
public sealed record JobRunOptions
{
    /// <summary>The runner slot (<c>CI_CONCURRENT_ID</c>): unique among the jobs running at once.</summary>
    public int ConcurrentId { get; init; }

    /// <summary>
    /// The slot among this project's running jobs (<c>CI_CONCURRENT_PROJECT_ID</c>); it names the build directory, so
    /// two jobs of a project that run at once must differ in it. Null means <see cref="ConcurrentId"/>.
    /// </summary>
    public int? ConcurrentProjectId { get; init; }

    /// <summary>The project slot in effect.</summary>
    public int ProjectSlot => ConcurrentProjectId ?? ConcurrentId;

    /// <summary>How sources get into the project directory; null uses git (<see cref="GitSourceProvider"/>).</summary>
    public ISourceProvider? Sources { get; init; }
}
