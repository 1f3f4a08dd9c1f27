using Relais.GitOps.Config;
using Relais.GitOps.Policies;

namespace Relais.GitOps.Sources;

/// <summary>What a reference resolved to: the ref to fetch (null: fetch every branch), the commit, Flux's revision and the branch followed.</summary>
public sealed record ResolvedRef(string? FetchRef, string Commit, string Revision, string? Branch);

/// <summary>
/// A remote's refs as <c>git ls-remote</c> lists them (annotated tags peeled to their commit), and the resolution of a
/// <see cref="GitReference"/> against them in Flux's precedence: <c>commit</c>, <c>name</c>, <c>semver</c>, <c>tag</c>,
/// <c>branch</c>; no reference follows the remote's default branch (<c>HEAD</c>).
/// </summary>
public sealed class RemoteRefs
{
    private readonly Dictionary<string, string> _refs;

    private RemoteRefs(Dictionary<string, string> refs, string? headBranch)
    {
        _refs = refs;
        HeadBranch = headBranch;
    }

    /// <summary>The branch the remote's <c>HEAD</c> points to, when it said.</summary>
    public string? HeadBranch { get; }

    /// <summary>The commit of a full ref name, or null.</summary>
    public string? this[string name] => _refs.GetValueOrDefault(name);

    /// <summary>Reads <c>git ls-remote --symref</c>'s output.</summary>
    public static RemoteRefs Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        string? head = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('\t', 2);
            if (parts.Length != 2)
            {
                continue;
            }

            if (parts[0].StartsWith("ref: refs/heads/", StringComparison.Ordinal) && parts[1] == "HEAD")
            {
                head = parts[0]["ref: refs/heads/".Length..];
                continue;
            }

            if (parts[1].EndsWith("^{}", StringComparison.Ordinal))
            {
                refs[parts[1][..^3]] = parts[0];
            }
            else
            {
                refs.TryAdd(parts[1], parts[0]);
            }
        }

        return new RemoteRefs(refs, head);
    }

    /// <summary>Resolves <paramref name="reference"/>; the message of <see cref="GitSourceException"/> says what is missing.</summary>
    public ResolvedRef Resolve(GitReference? reference, string repository)
    {
        if (reference?.Commit is { } commit)
        {
            var branch = reference.Branch;
            return new ResolvedRef(branch is null ? null : "refs/heads/" + branch, commit, branch is null ? "sha1:" + commit : $"{branch}@sha1:{commit}", branch);
        }

        if (reference?.Name is { } name)
        {
            var sha = this[name] ?? throw new GitSourceException($"{repository}: unknown reference \"{name}\"");
            return new ResolvedRef(name, sha, $"{name}@sha1:{sha}", name.StartsWith("refs/heads/", StringComparison.Ordinal) ? name["refs/heads/".Length..] : null);
        }

        if (reference?.Semver is { } semver)
        {
            var range = SemverRange.TryParse(semver, out var error) ?? throw new GitSourceException($"{repository}: ref.semver: {error}");
            var tags = _refs.Keys.Where(r => r.StartsWith("refs/tags/", StringComparison.Ordinal)).Select(r => r["refs/tags/".Length..]);
            var tag = new SemverPolicy(range).Latest(tags, TagFilter.All)
                ?? throw new GitSourceException($"{repository}: no tag matches the semver range \"{semver}\"");
            return new ResolvedRef("refs/tags/" + tag, _refs["refs/tags/" + tag], $"{tag}@sha1:{_refs["refs/tags/" + tag]}", null);
        }

        if (reference?.Tag is { } t)
        {
            var sha = this["refs/tags/" + t] ?? throw new GitSourceException($"{repository}: unknown tag \"{t}\"");
            return new ResolvedRef("refs/tags/" + t, sha, $"{t}@sha1:{sha}", null);
        }

        var b = reference?.Branch ?? HeadBranch ?? "master";
        var head = this["refs/heads/" + b] ?? throw new GitSourceException($"{repository}: unknown branch \"{b}\"");
        return new ResolvedRef("refs/heads/" + b, head, $"{b}@sha1:{head}", b);
    }
}
