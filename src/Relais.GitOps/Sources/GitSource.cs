using System.Collections.Concurrent;
using Relais.GitOps.Config;

namespace Relais.GitOps.Sources;

/// <summary>
/// The agent's <see cref="IGitSource"/>: one bare mirror per <c>GitRepository</c> under
/// <c>&lt;state&gt;/sources/&lt;namespace&gt;/&lt;name&gt;</c>, fetched with the credentials of its <c>secretRef</c>
/// (see <see cref="GitAuth"/>), and a checkout per commit next to it. Each fetch first lists the remote's refs; when
/// the reference still points to the commit last checked out, nothing is fetched or written. One fetch per repository
/// runs at a time.
/// </summary>
public sealed class GitSource : IGitSource
{
    /// <summary>Flux's default <c>spec.timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly string _state;
    private readonly IReadOnlyDictionary<string, Secret> _secrets;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <param name="stateDirectory">The agent's state folder.</param>
    /// <param name="secrets">The configuration's secrets by <c>namespace/name</c>.</param>
    /// <param name="time">The clock (git calls are bounded by <c>spec.timeout</c> on it).</param>
    public GitSource(string stateDirectory, IReadOnlyDictionary<string, Secret> secrets, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        _state = Path.GetFullPath(stateDirectory);
        _secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
    }

    /// <summary>The clock git calls' timeouts run on.</summary>
    public TimeProvider Time { get; }

    /// <summary>The folder of a repository's mirror and checkouts.</summary>
    public string FolderOf(GitRepository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return Path.Combine(_state, "sources", repository.Namespace, repository.Name);
    }

    /// <inheritdoc />
    public async Task<SourceArtifact> FetchAsync(GitRepository repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var gate = _locks.GetOrAdd(repository.Key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await FetchLockedAsync(repository, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<SourceArtifact> FetchLockedAsync(GitRepository repository, CancellationToken cancellationToken)
    {
        var folder = FolderOf(repository);
        var mirror = Path.Combine(folder, "mirror.git");
        using var auth = GitAuth.For(repository.Url, SecretData(_secrets, repository.SecretRef), Path.Combine(_state, "tmp"));
        var git = new GitCalls(auth, repository.Timeout ?? DefaultTimeout, Time);
        Directory.CreateDirectory(folder);
        var listed = await git.RunAsync(folder, ["ls-remote", "--symref", git.Url], cancellationToken).ConfigureAwait(false);
        var resolved = RemoteRefs.Parse(listed.Text).Resolve(repository.Ref, git.Repository);
        var checkout = Path.Combine(folder, "checkouts", resolved.Commit);
        if (!Directory.Exists(checkout))
        {
            await MirrorAsync(git, mirror, resolved, cancellationToken).ConfigureAwait(false);
            await CheckoutAsync(git, mirror, resolved.Commit, checkout, cancellationToken).ConfigureAwait(false);
            RemoveOldCheckouts(Path.Combine(folder, "checkouts"), keep: checkout);
        }

        return new SourceArtifact(repository.Key, checkout, resolved.Commit, resolved.Revision, resolved.Branch);
    }

    /// <summary>A secret's data by reference, or null when there is none.</summary>
    internal static IReadOnlyDictionary<string, string>? SecretData(IReadOnlyDictionary<string, Secret> secrets, ResourceRef? reference) =>
        reference is not null && secrets.TryGetValue(reference.Key, out var secret) ? secret.Data : null;

    private static async Task MirrorAsync(GitCalls git, string mirror, ResolvedRef resolved, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(mirror))
        {
            Directory.CreateDirectory(mirror);
            await git.RunAsync(mirror, ["init", "--bare", "-q"], cancellationToken).ConfigureAwait(false);
        }

        string[] refspecs = resolved.FetchRef is { } one ? [$"+{one}:{one}"] : ["+refs/heads/*:refs/heads/*"];
        await git.RunAsync(mirror, ["fetch", "--no-tags", "-q", git.Url, .. refspecs], cancellationToken).ConfigureAwait(false);
        var present = await git.TryRunAsync(mirror, ["cat-file", "-e", resolved.Commit + "^{commit}"], cancellationToken).ConfigureAwait(false);
        if (!present.Succeeded)
        {
            throw new GitSourceException($"{git.Repository}: unknown commit \"{resolved.Commit}\"");
        }
    }

    private static async Task CheckoutAsync(GitCalls git, string mirror, string commit, string checkout, CancellationToken cancellationToken)
    {
        var partial = checkout + ".partial";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        Directory.CreateDirectory(partial);
        var index = Path.Combine(Path.GetDirectoryName(checkout)!, "index." + Guid.NewGuid().ToString("N"));
        try
        {
            var env = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
            await git.RunAsync(mirror, ["--work-tree", partial, "checkout", "-q", "-f", commit, "--", "."], cancellationToken, env).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(index);
        }

        Directory.Move(partial, checkout);
    }

    /// <summary>Keeps the new checkout and the one before it (an applier may still be reading it).</summary>
    private static void RemoveOldCheckouts(string checkouts, string keep)
    {
        var old = new DirectoryInfo(checkouts).GetDirectories()
            .Where(d => d.FullName != keep)
            .OrderByDescending(d => d.CreationTimeUtc)
            .Skip(1);
        foreach (var directory in old)
        {
            directory.Delete(recursive: true);
        }
    }
}
