namespace Relais.Cli.Commands.Ssh;

/// <summary>
/// What a git client asked sshd to run (<c>SSH_ORIGINAL_COMMAND</c>): <c>git-upload-pack 'group/app.git'</c> or
/// <c>git-receive-pack …</c> (also <c>git upload-pack</c>; the path quoted with <c>'</c> or <c>"</c> or bare, with or
/// without a leading <c>/</c> and the <c>.git</c> suffix). Anything else is refused; nothing is ever run by a shell.
/// </summary>
internal sealed record GitSshRequest(string Service, string ProjectPath)
{
    public const string UploadPack = "git-upload-pack";
    public const string ReceivePack = "git-receive-pack";

    /// <summary>The request, or null when the command is not one of the two git services on a <c>group/name</c> path.</summary>
    public static GitSshRequest? Parse(string command)
    {
        var words = command.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 3 && words[0] == "git")
        {
            words = ["git-" + words[1], words[2]];
        }

        if (words.Length != 2 || words[0] is not (UploadPack or ReceivePack))
        {
            return null;
        }

        var path = words[1];
        if (path.Length >= 2 && path[0] is '\'' or '"' && path[^1] == path[0])
        {
            path = path[1..^1];
        }

        path = path.TrimStart('/').TrimEnd('/');
        if (path.EndsWith(".git", StringComparison.Ordinal))
        {
            path = path[..^4];
        }

        var parts = path.Split('/');
        // A namespace (a user, or a group and its subgroups) and the project's name.
        return parts.Length is >= 2 and <= MaxSegments && parts.All(IsSegment) ? new GitSshRequest(words[0], path) : null;
    }

    /// <summary>Twenty nested groups (GitLab's limit) and the project.</summary>
    private const int MaxSegments = 21;

    /// <summary>A path segment as projects have them: letters, digits, <c>._-</c>, not starting with a dot.</summary>
    private static bool IsSegment(string s) =>
        s.Length is > 0 and <= 255 && s[0] != '.' && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
