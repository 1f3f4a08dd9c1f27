using Relais.Pipelines.Sources;

namespace Relais.Cli.Git;

/// <summary>The repository's files at one commit, read through git (for <c>relais plan --commit SHA</c>).</summary>
internal sealed class CommitSource(GitCli git, string commit) : IConfigSource
{
    private IReadOnlyList<string>? _files;

    public string? ReadFile(string path) => git.Run("show", $"{commit}:{path}");

    public IReadOnlyList<string> ListFiles() => _files ??= git.Lines("ls-tree", "-r", "--name-only", commit);
}
