using System.Globalization;
using System.Text;

namespace Relais.Git;

/// <summary>
/// One long-lived <c>git cat-file --batch</c> process that reads many blobs by <c>rev:path</c>, so reading a
/// configuration and its includes costs one process, not one per file. Reads are asynchronous and answered in
/// order; concurrent callers are served one at a time. A missing path is <see cref="GitBlob.Missing"/>, never an
/// exception; a git that died answers every later read as missing. Dispose it when the compile is done: that ends
/// the process.
/// </summary>
public sealed class CatFileBatch : IAsyncDisposable
{
    private readonly RunningGit _git;
    private readonly BufferedStream _output;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _broken;

    private CatFileBatch(RunningGit git)
    {
        _git = git;
        _output = new BufferedStream(git.Output, 65536);
    }

    /// <summary>True once the process has ended (after <see cref="DisposeAsync"/>).</summary>
    internal bool HasExited => _git.HasExited;

    /// <summary>Starts the process for the repository of <paramref name="repository"/>.</summary>
    public static CatFileBatch Open(GitRepository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return new CatFileBatch(GitProcess.Start(repository.Command("cat-file", "--batch"), redirectInput: true));
    }

    /// <summary>The file at <paramref name="path"/> in <paramref name="revision"/> (a commit, branch or tag).</summary>
    public Task<GitBlob> ReadAsync(string revision, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(path);
        return ReadAsync(revision + ":" + path, cancellationToken);
    }

    /// <summary>The blob named by <paramref name="objectName"/> (<c>rev:path</c> or a blob id).</summary>
    public async Task<GitBlob> ReadAsync(string objectName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objectName);
        if (objectName.Length == 0 || objectName.Contains('\n', StringComparison.Ordinal) || objectName.EndsWith(':'))
        {
            return GitBlob.Missing; // one request is one line; "rev:" would name the whole tree
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _broken ? GitBlob.Missing : await AskAsync(objectName, cancellationToken);
        }
        catch (IOException)
        {
            _broken = true;
            return GitBlob.Missing;
        }
        catch (OperationCanceledException)
        {
            _broken = true; // a reply may be half read: the process cannot answer in order any more
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            // End of input: cat-file exits on its own, at once. Waiting for that is much cheaper than killing it
            // (killing a process tree walks every process of the machine); a stuck one is killed after a while.
            await _git.Input.DisposeAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _git.WaitForExitAsync(patience.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Gone already, or stuck: disposing kills it.
        }

        await _git.DisposeAsync();
        _gate.Dispose();
    }

    private async Task<GitBlob> AskAsync(string objectName, CancellationToken cancellationToken)
    {
        await _git.Input.WriteAsync(Encoding.UTF8.GetBytes(objectName + "\n"), cancellationToken);
        await _git.Input.FlushAsync(cancellationToken);

        // "<oid> <type> <size>\n<content>\n", or "<name> missing\n" (also "ambiguous").
        var header = await ReadLineAsync(cancellationToken);
        if (header is null)
        {
            _broken = true;
            return GitBlob.Missing;
        }

        var parts = header.Split(' ');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size > int.MaxValue - 1)
        {
            return GitBlob.Missing;
        }

        var content = new byte[size + 1]; // the content and its trailing newline
        await _output.ReadExactlyAsync(content, cancellationToken);
        return parts[1] == "blob" ? new GitBlob(true, content.AsMemory(0, (int)size)) : GitBlob.Missing;
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>(64);
        var one = new byte[1];
        while (true)
        {
            if (await _output.ReadAsync(one, cancellationToken) == 0)
            {
                return null;
            }

            if (one[0] == '\n')
            {
                return Encoding.UTF8.GetString([.. line]);
            }

            line.Add(one[0]);
        }
    }
}
