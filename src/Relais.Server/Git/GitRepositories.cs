using System.Text.RegularExpressions;

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

    /// <summary>True when <paramref name="group"/>/<paramref name="name"/> is a path we accept (no dots up front, no slashes).</summary>
    public static bool IsValidPath(string group, string name) => Segment().IsMatch(group) && Segment().IsMatch(name);

    /// <summary>The bare repository's directory (which may not exist yet).</summary>
    public string PathOf(string projectPath) => System.IO.Path.Combine(Root, projectPath.Replace('/', System.IO.Path.DirectorySeparatorChar) + ".git");

    public bool Exists(string projectPath) => File.Exists(System.IO.Path.Combine(PathOf(projectPath), "HEAD"));

    /// <summary>Creates the bare repository (accepting pushes over HTTP) unless it exists; returns its directory.</summary>
    public async Task<string> EnsureAsync(string projectPath)
    {
        var dir = PathOf(projectPath);
        if (Exists(projectPath))
        {
            return dir;
        }

        Directory.CreateDirectory(dir);
        await GitCommand.MustRunAsync(dir, "init", "--quiet", "--bare");
        await GitCommand.MustRunAsync(dir, "config", "http.receivepack", "true");
        return dir;
    }

    /// <summary>Points the repository's HEAD at <paramref name="branch"/> (the project's default branch).</summary>
    public static Task SetHeadAsync(string gitDir, string branch) => GitCommand.MustRunAsync(gitDir, "symbolic-ref", "HEAD", "refs/heads/" + branch);

    /// <summary>The sha a ref points at now, or null when it does not exist.</summary>
    public static async Task<string?> ResolveAsync(string gitDir, string fullRef) =>
        (await GitCommand.RunAsync(gitDir, "rev-parse", "--verify", "--quiet", fullRef + "^{commit}"))?.Trim();

    /// <summary>Creates <c>refs/pipelines/ID</c> at <paramref name="sha"/>, the ref runners fetch first.</summary>
    public static Task CreatePipelineRefAsync(string gitDir, long pipelineId, string sha) =>
        GitCommand.MustRunAsync(gitDir, "update-ref", "refs/pipelines/" + pipelineId.ToString(System.Globalization.CultureInfo.InvariantCulture), sha);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex Segment();
}
