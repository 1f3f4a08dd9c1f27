using Relais.Git;

namespace Relais.GitOps.Sources;

/// <summary>
/// Runs the git calls of a source or an update: each bounded by a timeout, with the call's credentials in its
/// environment, a failure turned into a <see cref="GitSourceException"/> that names the repository (without
/// credentials) and git's reason.
/// </summary>
public sealed class GitCalls(GitAuth auth, TimeSpan timeout, TimeProvider time)
{
    /// <summary>The repository's URL as messages show it.</summary>
    public string Repository => auth.Url.Display;

    /// <summary>The URL git is given.</summary>
    public string Url => auth.Url.Address;

    /// <summary>Runs git; a non-zero exit is thrown as <see cref="GitSourceException"/>.</summary>
    public async Task<GitResult> RunAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await TryRunAsync(directory, arguments, cancellationToken, environment).ConfigureAwait(false);
        return result.Succeeded ? result : throw Failure(arguments, result);
    }

    /// <summary>Runs git and answers how it ended (a timeout is still thrown).</summary>
    public async Task<GitResult> TryRunAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var env = new Dictionary<string, string>(auth.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }

        using var timer = new CancellationTokenSource(timeout, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await GitProcess.RunAsync(new GitStart(directory, arguments) { Environment = env }, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GitSourceException($"{Repository}: git {arguments[0]} timed out after {timeout.TotalSeconds:0.#}s");
        }
    }

    /// <summary>The exception for a failed call: the repository and git's reason, credentials redacted.</summary>
    public GitSourceException Failure(IReadOnlyList<string> arguments, GitResult result)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var error = auth.Redact(result.Error);
        return new GitSourceException($"{Repository}: {GitFailure.Reason(error)} (git {arguments[0]}: {GitFailure.LastLine(error)})");
    }
}
