using Relais.Bench.Gen;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;

namespace Relais.Bench.Compile;

/// <summary>
/// A generated repository read into memory once, with the push pipeline a CI server would create for
/// its HEAD: branch, commit, and the files changed since <c>origin/main</c>. Reading happens here, outside
/// the timed calls, so the benchmark measures the compiler and not the disk.
/// </summary>
internal sealed class BenchRepo
{
    private BenchRepo(string dir, InMemoryConfigSource source, PipelineContext context, string entryText)
    {
        Dir = dir;
        Source = source;
        Context = context;
        EntryText = entryText;
    }

    public string Dir { get; }

    public InMemoryConfigSource Source { get; }

    public PipelineContext Context { get; }

    /// <summary>The text of <c>.gitlab-ci.yml</c>, for the parse-only benchmark.</summary>
    public string EntryText { get; }

    public CompileRequest Request() => new(Source, Context);

    public static BenchRepo Load(string dir)
    {
        if (!File.Exists(Path.Combine(dir, ".gitlab-ci.yml")))
        {
            throw new FileNotFoundException($"no .gitlab-ci.yml in {dir}: run bench/gen/generate.sh first");
        }

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Git(dir, "ls-files", "-z").Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            files[path] = File.ReadAllText(Path.Combine(dir, path));
        }

        var head = Git(dir, "rev-parse", "HEAD").Trim();
        var hasOrigin = TryGit(dir, out var before, "rev-parse", "--verify", "--quiet", "origin/main");
        var context = new PipelineContext
        {
            Ref = Git(dir, "rev-parse", "--abbrev-ref", "HEAD").Trim(),
            Source = PipelineSource.Push,
            Sha = head,
            BeforeSha = hasOrigin ? before.Trim() : null,
            CommitMessage = Git(dir, "log", "-1", "--format=%B").Trim(),
            CommitAuthor = Git(dir, "log", "-1", "--format=%an <%ae>").Trim(),
            ChangedFiles = hasOrigin
                ? Git(dir, "diff", "--name-only", "origin/main", "HEAD").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                : null,
            DefaultBranch = "main",
            ProjectPath = "bench/" + Path.GetFileName(Path.GetFullPath(dir).TrimEnd('/')),
        };
        return new BenchRepo(dir, new InMemoryConfigSource(files), context, files[".gitlab-ci.yml"]);
    }

    private static string Git(string dir, params string[] args) => GitRepo.Git(dir, 0, args);

    private static bool TryGit(string dir, out string output, params string[] args)
    {
        try
        {
            output = Git(dir, args);
            return true;
        }
        catch (InvalidOperationException)
        {
            output = "";
            return false;
        }
    }
}
