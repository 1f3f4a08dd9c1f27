using System.Globalization;
using System.Text.RegularExpressions;
using Relais.Git;

namespace Relais.Server.Git;

/// <summary>
/// The bare repositories under <c>DATA/repos/&lt;group&gt;/&lt;name&gt;.git</c>. Creating one is idempotent and safe
/// under concurrent first pushes (git init on an existing repository only re-initialises it).
/// </summary>
internal sealed partial class GitRepositories(string root)
{
    /// <summary>The all-zero object id git uses for "no commit" (a created or deleted ref).</summary>
    public const string ZeroSha = "0000000000000000000000000000000000000000";

    public string Root { get; } = root;

    /// <summary>
    /// True when <paramref name="group"/>/<paramref name="name"/> is a path we accept: the namespace one or more
    /// segments (nested groups), each like the name (no dots up front, no empty segments).
    /// </summary>
    public static bool IsValidPath(string group, string name) => group.Split('/').All(Segment().IsMatch) && Segment().IsMatch(name);

    /// <summary>The bare repository's directory (which may not exist yet).</summary>
    public string PathOf(string projectPath) => System.IO.Path.Combine(Root, projectPath.Replace('/', System.IO.Path.DirectorySeparatorChar) + ".git");

    public bool Exists(string projectPath) => File.Exists(System.IO.Path.Combine(PathOf(projectPath), "HEAD"));

    /// <summary>Creates the bare repository (accepting pushes over HTTP) unless it exists; returns its directory.</summary>
    public async Task<string> EnsureAsync(string projectPath, CancellationToken cancellationToken)
    {
        var dir = PathOf(projectPath);
        if (Exists(projectPath))
        {
            return dir;
        }

        Directory.CreateDirectory(dir);
        var git = GitRepository.Bare(dir);
        await MustRunAsync(git, ["init", "--quiet", "--bare"], cancellationToken);
        await MustRunAsync(git, ["config", "http.receivepack", "true"], cancellationToken);
        return dir;
    }

    /// <summary>Points the repository's HEAD at <paramref name="branch"/> (the project's default branch).</summary>
    public static Task SetHeadAsync(GitRepository git, string branch, CancellationToken cancellationToken) =>
        MustRunAsync(git, ["symbolic-ref", "HEAD", "refs/heads/" + branch], cancellationToken);

    /// <summary>Creates <c>refs/pipelines/ID</c> at <paramref name="sha"/>, the ref runners fetch first.</summary>
    public static Task CreatePipelineRefAsync(GitRepository git, long pipelineId, string sha, CancellationToken cancellationToken) =>
        MustRunAsync(git, ["update-ref", "refs/pipelines/" + pipelineId.ToString(CultureInfo.InvariantCulture), sha], cancellationToken);

    /// <summary>Runs git and throws when it fails: for commands that must work on a repository we manage.</summary>
    private static async Task MustRunAsync(GitRepository git, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(arguments, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed in {git.Directory}: {result.Error.Trim()}");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex Segment();
}
