using System.Text;

namespace Relais.Git;

/// <summary>
/// Makes a commit in a (bare) repository without a checkout, with git's plumbing: the start commit's tree read into a
/// temporary index (<c>GIT_INDEX_FILE</c>, never the repository's own), each file written with <c>hash-object</c>, the
/// changes applied with one <c>update-index --index-info</c>, then <c>write-tree</c>, <c>commit-tree</c> and an
/// <c>update-ref</c> that names the branch's old value, so a concurrent push is never lost (the commit fails instead).
/// The actions are checked in order against the tree as the earlier ones left it, with GitLab's messages.
/// </summary>
public static class RepositoryCommits
{
    private const string RegularMode = "100644";
    private const string ExecutableMode = "100755";
    private const string NoObject = "0000000000000000000000000000000000000000";

    public static async Task<CommitResult> CommitAsync(this GitRepository git, CommitPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(plan);
        var files = plan.StartCommit is null ? new Dictionary<string, (string Mode, string Sha)>(StringComparer.Ordinal) : await ListFilesAsync(git, plan.StartCommit, cancellationToken);
        var touched = new List<string>();
        foreach (var action in plan.Actions)
        {
            if (await ApplyAsync(git, plan.StartCommit, files, action, cancellationToken) is { } problem)
            {
                return CommitResult.Rejected(problem);
            }

            touched.Add(action.Path);
            if (action.PreviousPath is { } previous && action.Kind == FileActionKind.Move)
            {
                touched.Add(previous);
            }
        }

        var index = Path.Combine(Path.GetTempPath(), "relais-index-" + Guid.NewGuid().ToString("N"));
        try
        {
            var tree = await WriteTreeAsync(git, index, plan.StartCommit, files, touched, cancellationToken);
            if (tree is null)
            {
                return CommitResult.Rejected("Invalid path: git does not allow one of the paths in a tree (such as .git)");
            }

            return await CommitTreeAsync(git, plan, tree, cancellationToken);
        }
        finally
        {
            File.Delete(index);
            File.Delete(index + ".lock");
        }
    }

    /// <summary>Applies one action to <paramref name="files"/>; GitLab's message when it does not fit.</summary>
    private static async Task<string?> ApplyAsync(
        GitRepository git, string? start, Dictionary<string, (string Mode, string Sha)> files, FileAction action, CancellationToken cancel)
    {
        var path = action.Path;
        var source = action.Kind == FileActionKind.Move ? action.PreviousPath ?? path : path;
        if (action.Kind != FileActionKind.Create)
        {
            if (!files.TryGetValue(source, out _))
            {
                return "A file with this name doesn't exist";
            }

            if (action.LastCommitId is { Length: > 0 } expected && (start is null || await git.LastCommitAsync(start, source, cancel) != expected))
            {
                return "The file has changed since you started editing it: " + source;
            }
        }

        if ((action.Kind == FileActionKind.Create || (action.Kind == FileActionKind.Move && source != path)) && Collides(files, path) is { } collision)
        {
            return collision;
        }

        switch (action.Kind)
        {
            case FileActionKind.Delete:
                files.Remove(path);
                return null;
            case FileActionKind.Chmod:
                files[path] = (Mode(files[path].Mode, action.ExecuteFilemode), files[path].Sha);
                return null;
        }

        (string Mode, string Sha) old = files.GetValueOrDefault(source, (RegularMode, ""));
        var sha = action.Content is null && action.Kind == FileActionKind.Move ? old.Sha : await HashAsync(git, action.Content ?? [], cancel);
        if (sha is null)
        {
            return "The file could not be written";
        }

        files.Remove(source);
        files[path] = (Mode(action.Kind == FileActionKind.Create ? RegularMode : old.Mode, action.ExecuteFilemode), sha);
        return null;
    }

    /// <summary>GitLab's message when <paramref name="path"/> cannot be added: a file is there, one of its parents is a file, or it is a directory.</summary>
    private static string? Collides(Dictionary<string, (string Mode, string Sha)> files, string path)
    {
        if (files.ContainsKey(path))
        {
            return "A file with this name already exists";
        }

        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            if (files.ContainsKey(path[..slash]))
            {
                return "A file with this name already exists";
            }
        }

        var prefix = path + "/";
        return files.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal)) ? "A directory with this name already exists" : null;
    }

    private static string Mode(string current, bool? executable) => executable switch
    {
        true => ExecutableMode,
        false when current == ExecutableMode => RegularMode,
        _ => current,
    };

    /// <summary>Every entry of the commit's tree, recursively (files, links and submodules), by path.</summary>
    private static async Task<Dictionary<string, (string Mode, string Sha)>> ListFilesAsync(GitRepository git, string commit, CancellationToken cancel)
    {
        var result = await git.RunAsync(["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", commit], cancel);
        var files = new Dictionary<string, (string Mode, string Sha)>(StringComparer.Ordinal);
        foreach (var line in result.NulSeparated)
        {
            // "<mode> SP <type> SP <object> TAB <path>"
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var meta = line[..tab].Split(' ');
            files[line[(tab + 1)..]] = (meta[0], meta[2]);
        }

        return files;
    }

    private static async Task<string?> HashAsync(GitRepository git, byte[] content, CancellationToken cancel) =>
        (await GitProcess.RunWithInputAsync(git.Command("hash-object", "-w", "--no-filters", "--stdin"), content, cancel)).FirstLine;

    /// <summary>The tree of the start commit with the touched paths changed, through a temporary index; null when git refuses a path.</summary>
    private static async Task<string?> WriteTreeAsync(
        GitRepository git, string index, string? start, Dictionary<string, (string Mode, string Sha)> files, IEnumerable<string> touched, CancellationToken cancel)
    {
        var env = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
        var read = start is null ? git.Command("read-tree", "--empty") : git.Command("read-tree", "--end-of-options", start);
        if (!(await GitProcess.RunAsync(read with { Environment = env }, cancel)).Succeeded)
        {
            return null;
        }

        var info = new StringBuilder();
        foreach (var path in touched.Distinct(StringComparer.Ordinal))
        {
            var (mode, sha) = files.TryGetValue(path, out var entry) ? entry : ("0", NoObject);
            info.Append(mode).Append(' ').Append(sha).Append('\t').Append(path).Append('\0');
        }

        // git skips a path it will not have in a tree (".git", "GIT~1", "..") with a warning and exit code 0: refuse instead.
        var update = await GitProcess.RunWithInputAsync(git.Command("update-index", "-z", "--index-info") with { Environment = env }, Encoding.UTF8.GetBytes(info.ToString()), cancel);
        return update.Succeeded && !update.Error.Contains("Ignoring path", StringComparison.Ordinal)
            ? (await GitProcess.RunAsync(git.Command("write-tree") with { Environment = env }, cancel)).FirstLine
            : null;
    }

    private static async Task<CommitResult> CommitTreeAsync(GitRepository git, CommitPlan plan, string tree, CancellationToken cancel)
    {
        List<string> arguments = ["commit-tree", "-F", "-"];
        if (plan.StartCommit is { } parent)
        {
            arguments.AddRange(["-p", parent]);
        }

        var identity = new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = plan.Author.Name,
            ["GIT_AUTHOR_EMAIL"] = plan.Author.Email,
            ["GIT_COMMITTER_NAME"] = plan.Committer.Name,
            ["GIT_COMMITTER_EMAIL"] = plan.Committer.Email,
        };
        var commit = (await GitProcess.RunWithInputAsync(git.Command([.. arguments, tree]) with { Environment = identity }, Encoding.UTF8.GetBytes(plan.Message), cancel)).FirstLine;
        if (commit is null)
        {
            return CommitResult.Rejected("The commit could not be written");
        }

        // The old value makes this a compare-and-swap: "" means the branch must not exist yet.
        var moved = await git.RunAsync(["update-ref", "--no-deref", RepositoryRefs.Branches + plan.Branch, commit, plan.ExpectedTip ?? ""], cancel);
        return moved.Succeeded
            ? new CommitResult(commit, CommitFailure.None, "")
            : new CommitResult(null, CommitFailure.Conflict, $"Could not update branch {plan.Branch}. Please refresh and try again.");
    }
}
