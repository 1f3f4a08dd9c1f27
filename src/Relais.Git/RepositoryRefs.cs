namespace Relais.Git;

/// <summary>
/// Reads and changes a repository's branches and tags, and reads commits in full. Names handed in are passed after
/// <c>--end-of-options</c> (or inside a full <c>refs/…</c> name), so none is ever read as an option; queries answer
/// "no" as a value (null, false or an empty list), never by throwing.
/// </summary>
public static class RepositoryRefs
{
    /// <summary>Where branches live.</summary>
    public const string Branches = "refs/heads/";

    /// <summary>Where tags live.</summary>
    public const string Tags = "refs/tags/";

    private const string RefFormat =
        "--format=%(refname)%00%(objectname)%00%(objecttype)%00%(*objectname)%00%(taggerdate:iso-strict)%00%(if)%(*objectname)%(then)%(contents)%(end)%00";

    /// <summary>
    /// The refs under <paramref name="prefix"/> (<see cref="Branches"/> or <see cref="Tags"/>), sorted by name;
    /// with <paramref name="mergedInto"/>, only those whose commit is reachable from it.
    /// </summary>
    public static async Task<IReadOnlyList<GitRef>> ListAsync(this GitRepository git, string prefix, CancellationToken cancellationToken, string? mergedInto = null)
    {
        ArgumentNullException.ThrowIfNull(git);
        List<string> arguments = ["for-each-ref", RefFormat, "--sort=refname"];
        if (mergedInto is not null)
        {
            arguments.Add("--merged=" + mergedInto);
        }

        var result = await git.RunAsync([.. arguments, prefix], cancellationToken);
        if (!result.Succeeded)
        {
            return [];
        }

        var parts = result.Text.Split('\0');
        var refs = new List<GitRef>();
        for (var i = 0; i + 6 <= parts.Length; i += 6)
        {
            var name = parts[i].TrimStart('\n');
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
            {
                break;
            }

            var (id, type, peeled) = (parts[i + 1], parts[i + 2], parts[i + 3]);
            var commit = type == "commit" ? id : peeled.Length > 0 ? peeled : null;
            var annotated = type == "tag";
            refs.Add(new GitRef(
                name[prefix.Length..],
                id,
                commit,
                annotated ? parts[i + 5].TrimEnd('\n') : null,
                annotated ? CommitDetails.Date(parts[i + 4]) : null));
        }

        return refs;
    }

    /// <summary>The commits <paramref name="shas"/> name, described in full, in the same order; unknown ones are left out.</summary>
    public static async Task<IReadOnlyList<CommitDetails>> ReadCommitsAsync(this GitRepository git, IReadOnlyCollection<string> shas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(shas);
        if (shas.Count == 0)
        {
            return [];
        }

        var result = await git.RunAsync(["log", "--no-walk=unsorted", CommitDetails.Format, "--end-of-options", .. shas, "--"], cancellationToken);
        return result.Succeeded ? CommitDetails.ParseAll(result.Text) : [];
    }

    /// <summary>The commits <c>git log</c>/<c>rev-list</c> select: a date window, the revision (never read as an option), a literal path.</summary>
    internal static void AddCommitSelection(List<string> arguments, string revision, string? path, DateTimeOffset? since, DateTimeOffset? until)
    {
        if (since is { } s)
        {
            arguments.Add("--since=" + CommitDetails.GitDate(s));
        }

        if (until is { } u)
        {
            arguments.Add("--until=" + CommitDetails.GitDate(u));
        }

        arguments.AddRange(["--end-of-options", revision, "--"]);
        if (path is { Length: > 0 })
        {
            arguments.Add(path);
        }
    }

    /// <summary>
    /// Commits reachable from <paramref name="revision"/>, newest first, <paramref name="skip"/> then at most
    /// <paramref name="count"/>; only those touching <paramref name="path"/> when given (a literal path: no pathspec
    /// magic); empty when the revision is unknown.
    /// </summary>
    public static async Task<IReadOnlyList<CommitDetails>> LogAsync(
        this GitRepository git, string revision, int skip, int count, CancellationToken cancellationToken, string? path = null, DateTimeOffset? since = null, DateTimeOffset? until = null)
    {
        ArgumentNullException.ThrowIfNull(git);
        List<string> arguments = ["--literal-pathspecs", "log", CommitDetails.Format, "--skip=" + skip.ToString(System.Globalization.CultureInfo.InvariantCulture), "--max-count=" + count.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        AddCommitSelection(arguments, revision, path, since, until);

        var result = await git.RunAsync(arguments, cancellationToken);
        return result.Succeeded ? CommitDetails.ParseAll(result.Text) : [];
    }

    /// <summary>
    /// How many commits <paramref name="revision"/> has that <paramref name="baseRevision"/> has not (ahead), and the
    /// other way round (behind); null when either is unknown.
    /// </summary>
    public static async Task<(int Ahead, int Behind)?> AheadBehindAsync(this GitRepository git, string baseRevision, string revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        var counts = (await git.RunAsync(["rev-list", "--left-right", "--count", "--end-of-options", baseRevision + "..." + revision, "--"], cancellationToken)).FirstLine?.Split('\t');
        return counts is [var behind, var ahead]
            && int.TryParse(ahead, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var a)
            && int.TryParse(behind, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var b)
            ? (a, b) : null;
    }

    /// <summary>The branches whose history contains <paramref name="commit"/>, by name; empty when none does (or it is unknown).</summary>
    public static async Task<IReadOnlyList<string>> BranchesContainingAsync(this GitRepository git, string commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        var result = await git.RunAsync(["for-each-ref", "--format=%(refname)", "--sort=refname", "--contains=" + commit, Branches], cancellationToken);
        return result.Succeeded ? [.. result.Lines.Where(l => l.StartsWith(Branches, StringComparison.Ordinal)).Select(l => l[Branches.Length..])] : [];
    }

    /// <summary>True when <paramref name="prefix"/> + <paramref name="name"/> is a ref name git accepts and the name does not look like an option.</summary>
    public static async Task<bool> IsValidRefNameAsync(this GitRepository git, string prefix, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(name);
        return name.Length > 0 && !name.StartsWith('-') && name != "HEAD"
            && (await git.RunAsync(["check-ref-format", prefix + name], cancellationToken)).Succeeded;
    }

    /// <summary>Creates <paramref name="fullName"/> at <paramref name="objectId"/>; false when it exists already (or git fails).</summary>
    public static async Task<bool> CreateRefAsync(this GitRepository git, string fullName, string objectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        return (await git.RunAsync(["update-ref", "--no-deref", fullName, objectId, ""], cancellationToken)).Succeeded;
    }

    /// <summary>Deletes <paramref name="fullName"/> if it still points at <paramref name="objectId"/>; false otherwise.</summary>
    public static async Task<bool> DeleteRefAsync(this GitRepository git, string fullName, string objectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        return (await git.RunAsync(["update-ref", "--no-deref", "-d", fullName, objectId], cancellationToken)).Succeeded;
    }

    /// <summary>
    /// Creates the annotated tag <paramref name="name"/> on <paramref name="commit"/> with <paramref name="message"/>,
    /// signed by <paramref name="taggerName"/> &lt;<paramref name="taggerEmail"/>&gt;; false when git refuses (it exists).
    /// </summary>
    public static async Task<bool> CreateAnnotatedTagAsync(
        this GitRepository git, string name, string commit, string message, string taggerName, string taggerEmail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        var start = git.Command("tag", "--annotate", "--cleanup=verbatim", "--message", message, "--end-of-options", name, commit) with
        {
            Environment = new Dictionary<string, string>
            {
                ["GIT_COMMITTER_NAME"] = taggerName,
                ["GIT_COMMITTER_EMAIL"] = taggerEmail,
            },
        };
        return (await GitProcess.RunAsync(start, cancellationToken)).Succeeded;
    }
}
