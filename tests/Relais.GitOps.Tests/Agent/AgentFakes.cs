using System.Collections.Concurrent;
using Relais.GitOps.Agent;
using Relais.GitOps.Appliers;
using Relais.GitOps.Config;
using Relais.GitOps.Registry;
using Relais.GitOps.Sources;
using Relais.GitOps.Updates;

namespace Relais.GitOps.Tests.Agent;

/// <summary>A git source whose newest commit a test sets; counts fetches; fails while <see cref="Failure"/> is set.</summary>
internal sealed class FakeGitSource : IGitSource
{
    public string Commit { get; set; } = "1111111111111111111111111111111111111111";

    public string? Failure { get; set; }

    public int Fetches;

    public Task<SourceArtifact> FetchAsync(GitRepository repository, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Fetches);
        if (Failure is { } failure)
        {
            throw new GitSourceException(failure);
        }

        var commit = Commit;
        return Task.FromResult(new SourceArtifact(repository.Key, Path.GetTempPath(), commit, $"main@sha1:{commit}", "main"));
    }
}

/// <summary>A registry whose tags a test sets.</summary>
internal sealed class FakeImageScanner : IImageScanner
{
    private IReadOnlyList<string>? _last;

    public IReadOnlyList<string> Tags { get; set; } = ["1.0.0"];

    public Task<TagChanges> ScanAsync(ImageRepository repository, CancellationToken cancellationToken)
    {
        var tags = Tags;
        var changes = TagChanges.Between(_last, tags);
        _last = tags;
        return Task.FromResult(changes);
    }
}

/// <summary>An updater that "pushes" a new commit to <see cref="Source"/> whenever a policy's latest image is one it has not written yet.</summary>
internal sealed class FakeImageUpdater(FakeGitSource source) : IImageUpdater
{
    private string? _written;

    public FakeGitSource Source => source;

    public ConcurrentQueue<IReadOnlyDictionary<string, PolicyImage>> Calls { get; } = new();

    public Task<UpdateResult> UpdateAsync(ImageUpdateAutomation automation, GitRepository repository, IReadOnlyDictionary<string, PolicyImage> latest, CancellationToken cancellationToken)
    {
        Calls.Enqueue(latest);
        if (!latest.TryGetValue("flux-system:app", out var image) || image.Reference == _written)
        {
            return Task.FromResult(UpdateResult.None);
        }

        var old = _written ?? "registry.test/app:1.0.0";
        _written = image.Reference;
        source.Commit = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(image.Reference)))[..40];
        var change = new FileChange("swarm/stack.yml", [new SetterChange(3, "flux-system:app", old, image.Reference)]);
        return Task.FromResult(new UpdateResult(source.Commit, "main", [change], $"Update to {image.Reference} [ci skip]"));
    }
}

/// <summary>An applier that records each apply; its answer, and a gate holding applies, are set by the test.</summary>
internal sealed class RecordingApplier : IApplier
{
    public ConcurrentQueue<ApplyRequest> Applies { get; } = new();

    public Func<ApplyRequest, ApplyResult> Answer { get; set; } = r => new ApplyResult(true, [], "applied");

    /// <summary>When set, an apply waits for it (and ignores cancellation, as an apply that must finish).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Finished;

    public async Task<ApplyResult> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken)
    {
        Applies.Enqueue(request);
        Started.TrySetResult();
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        Interlocked.Increment(ref Finished);
        return Answer(request);
    }

    public Task<IReadOnlyList<DiffEntry>> DiffAsync(ApplyRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DiffEntry>>([new DiffEntry("service demo_web", "update", $"image at {request.Source.Commit[..7]}")]);
}

/// <summary>A log the test reads while the agent writes.</summary>
internal sealed class LogLines : StringWriter
{
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (this)
            {
                return ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }
}
