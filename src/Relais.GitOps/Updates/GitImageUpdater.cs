using System.Collections.Concurrent;
using System.Globalization;
using Relais.GitOps.Config;
using Relais.GitOps.Sources;

namespace Relais.GitOps.Updates;

/// <summary>
/// The agent's <see cref="IImageUpdater"/>: a work tree per automation (one run at a time) under
/// <c>&lt;state&gt;/automations/&lt;namespace&gt;/&lt;name&gt;</c>, on the push branch when it exists (built on, never
/// reset) or else the checkout branch (<c>git.checkout.ref.branch</c>, else the <c>GitRepository</c>'s branch); the
/// files under <c>update.path</c> updated (<see cref="ManifestUpdates"/>); one commit with the template's message
/// (<see cref="CommitMessage"/>) by <c>commit.author</c>; pushed without force. A rejected push (someone pushed in
/// between) fetches the new tip and does the update again on it, up to <see cref="MaxAttempts"/> times.
/// </summary>
public sealed class GitImageUpdater : IImageUpdater
{
    /// <summary>How many times an update is done and pushed before a rejection is an error.</summary>
    public const int MaxAttempts = 5;

    private const string LocalBranch = "relais-update";
    private readonly string _state;
    private readonly IReadOnlyDictionary<string, Secret> _secrets;
    private readonly ITagSource? _tags;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <param name="stateDirectory">The agent's state folder.</param>
    /// <param name="secrets">The configuration's secrets by <c>namespace/name</c>.</param>
    /// <param name="tags">The registry, for Flux v1's annotated workloads; null leaves them alone.</param>
    /// <param name="time">The clock: commit dates and git's timeouts.</param>
    public GitImageUpdater(string stateDirectory, IReadOnlyDictionary<string, Secret> secrets, ITagSource? tags, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        _state = Path.GetFullPath(stateDirectory);
        _secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));
        _tags = tags;
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Called before each push with the attempt number (tests push a concurrent commit here).</summary>
    internal Func<int, Task>? BeforePush { get; set; }

    /// <inheritdoc />
    public async Task<UpdateResult> UpdateAsync(ImageUpdateAutomation automation, GitRepository source, IReadOnlyDictionary<string, PolicyImage> latest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(automation);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(latest);
        var gate = _locks.GetOrAdd(automation.Key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await UpdateLockedAsync(automation, source, latest, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<UpdateResult> UpdateLockedAsync(ImageUpdateAutomation automation, GitRepository source, IReadOnlyDictionary<string, PolicyImage> latest, CancellationToken cancellationToken)
    {
        using var auth = GitAuth.For(source.Url, GitSource.SecretData(_secrets, source.SecretRef), Path.Combine(_state, "tmp"));
        var git = new GitCalls(auth, source.Timeout ?? GitSource.DefaultTimeout, _time);
        var checkout = automation.CheckoutBranch ?? source.Ref?.Branch
            ?? throw new GitSourceException($"{git.Repository}: {automation.Key} has no branch to check out: set spec.git.checkout.ref.branch or the GitRepository's spec.ref.branch");
        var push = automation.PushBranch ?? checkout;
        var work = Path.Combine(_state, "automations", automation.Namespace, automation.Name);
        if (!Directory.Exists(Path.Combine(work, ".git")))
        {
            Directory.CreateDirectory(work);
            await git.RunAsync(work, ["init", "-q"], cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 1; ; attempt++)
        {
            await CheckOutTipAsync(git, work, checkout, push, cancellationToken).ConfigureAwait(false);
            var changes = await new ManifestUpdates(work, _tags).ApplyAsync(automation.UpdatePath, latest, cancellationToken).ConfigureAwait(false);
            if (changes.Count == 0)
            {
                return UpdateResult.None;
            }

            var message = CommitMessage.Render(automation, changes);
            var commit = await CommitAsync(git, work, automation, changes, message, cancellationToken).ConfigureAwait(false);
            if (BeforePush is { } hook)
            {
                await hook(attempt).ConfigureAwait(false);
            }

            string[] arguments = ["push", "-q", git.Url, $"HEAD:refs/heads/{push}"];
            var pushed = await git.TryRunAsync(work, arguments, cancellationToken).ConfigureAwait(false);
            if (pushed.Succeeded)
            {
                return new UpdateResult(commit, push, ByFile(changes), message);
            }

            var failure = git.Failure(arguments, pushed);
            if (GitFailure.Reason(pushed.Error) != "push rejected" || attempt >= MaxAttempts)
            {
                throw attempt >= MaxAttempts ? new GitSourceException($"{failure.Message}; gave up after {attempt} attempts") : failure;
            }
        }
    }

    /// <summary>Fetches the push branch (when it exists) or the checkout branch and resets the work tree to it.</summary>
    private static async Task CheckOutTipAsync(GitCalls git, string work, string checkout, string push, CancellationToken cancellationToken)
    {
        var listed = await git.RunAsync(work, ["ls-remote", "--heads", git.Url], cancellationToken).ConfigureAwait(false);
        var refs = RemoteRefs.Parse(listed.Text);
        var branch = refs["refs/heads/" + push] is not null ? push : refs["refs/heads/" + checkout] is not null ? checkout
            : throw new GitSourceException($"{git.Repository}: unknown branch \"{checkout}\"");
        var tracking = "refs/remotes/origin/" + branch;
        await git.RunAsync(work, ["fetch", "--no-tags", "-q", git.Url, $"+refs/heads/{branch}:{tracking}"], cancellationToken).ConfigureAwait(false);
        await git.RunAsync(work, ["checkout", "-q", "-f", "-B", LocalBranch, tracking], cancellationToken).ConfigureAwait(false);
        await git.RunAsync(work, ["clean", "-q", "-f", "-d", "-x"], cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> CommitAsync(GitCalls git, string work, ImageUpdateAutomation automation, IReadOnlyList<ObjectChange> changes, string message, CancellationToken cancellationToken)
    {
        var files = changes.Select(c => c.File).Distinct(StringComparer.Ordinal).ToArray();
        await git.RunAsync(work, ["add", "--", .. files], cancellationToken).ConfigureAwait(false);
        var messageFile = Path.Combine(work, ".git", "RELAIS_UPDATE_MSG");
        await File.WriteAllTextAsync(messageFile, message, cancellationToken).ConfigureAwait(false);
        var name = automation.AuthorName ?? "Relais GitOps";
        var date = "@" + _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + " +0000";
        var env = new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = name,
            ["GIT_AUTHOR_EMAIL"] = automation.AuthorEmail,
            ["GIT_COMMITTER_NAME"] = name,
            ["GIT_COMMITTER_EMAIL"] = automation.AuthorEmail,
            ["GIT_AUTHOR_DATE"] = date,
            ["GIT_COMMITTER_DATE"] = date,
        };
        await git.RunAsync(work, ["-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "--cleanup=whitespace", "-F", messageFile], cancellationToken, env).ConfigureAwait(false);
        var head = await git.RunAsync(work, ["rev-parse", "HEAD"], cancellationToken).ConfigureAwait(false);
        return head.FirstLine ?? throw new GitSourceException($"{git.Repository}: the update commit has no id");
    }

    private static IReadOnlyList<FileChange> ByFile(IReadOnlyList<ObjectChange> changes) =>
        changes.GroupBy(c => c.File).Select(g => new FileChange(g.Key, g.Select(c => c.Change).ToList())).ToList();
}
