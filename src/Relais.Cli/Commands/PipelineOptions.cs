using Relais.Git;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Server.Git;

namespace Relais.Cli.Commands;

/// <summary>
/// The options shared by <c>lint</c>, <c>plan</c> and <c>run</c> that say which pipeline to compile:
/// ref, tag, source, variables, commit, inputs, changed files. Defaults come from the git checkout
/// around the current directory: its branch, HEAD, and the files changed by HEAD and the working tree.
/// </summary>
internal static class PipelineOptions
{
    public static readonly IReadOnlySet<string> Valued = new HashSet<string>(StringComparer.Ordinal)
    {
        "ref", "source", "variable", "commit", "file", "input", "changed", "default-branch", "project",
    };

    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "tag" };

    public const string Help = """
          --ref REF             branch or tag to plan for (default: the current branch)
          --tag                 REF is a tag
          --source SOURCE       push (default), web, api, schedule, trigger, merge_request_event, …
          --variable K=V        a pipeline variable (repeatable); overrides YAML variables
          --commit SHA          read the configuration at this commit (default: the working tree)
          --file PATH           the entry file (default: .gitlab-ci.yml)
          --input K=V           a value for the entry file's spec:inputs (repeatable)
          --changed PATH        a changed file for rules:changes (repeatable; default: what HEAD and
                                the working tree change)
          --default-branch B    CI_DEFAULT_BRANCH (default: origin's HEAD, else main or master)
        """;

    /// <summary>What <see cref="BuildAsync"/> made: the compile request, or the error message for bad options; and the checkout's top.</summary>
    public sealed record Built(CompileRequest? Request, string? Error, string Root)
    {
        /// <summary>Opens the files <see cref="Request"/> compiles anew (its own are closed after the compile), for child pipelines.</summary>
        public Func<IConfigSource>? OpenFiles { get; init; }
    }

    /// <summary>Builds the compile request, or returns an error message for bad options.</summary>
    public static async Task<Built> BuildAsync(Args args, string directory, CancellationToken cancellationToken)
    {
        var checkout = await GitRepository.At(directory).ReadCheckoutAsync(cancellationToken);
        var root = checkout?.TopLevel ?? directory;
        var isGit = Directory.Exists(Path.Combine(root, ".git")) || File.Exists(Path.Combine(root, ".git"));
        var git = GitRepository.At(root);
        var branch = checkout?.Branch;
        // The independent queries run side by side: each is a git process of a few milliseconds.
        var headQuery = isGit ? git.ReadCommitAsync("HEAD", cancellationToken) : Task.FromResult<CommitInfo?>(null);
        var defaultBranchQuery = isGit ? git.DefaultBranchAsync(branch, cancellationToken) : Task.FromResult<string?>(null);
        var head = await headQuery;
        var defaultBranch = await defaultBranchQuery;
        var error = Validate(args, out var variables, out var inputs);
        if (error is not null)
        {
            return new Built(null, error, root);
        }

        var source = args.Value("source") is { } sourceName && PipelineSourceNames.TryParse(sourceName, out var named) ? named : PipelineSource.Push;
        var commit = args.Value("commit");
        IConfigSource OpenFiles() => commit is null ? new WorkingTreeSource(root, isGit) : FilesOfCommit(git, commit);
        var files = OpenFiles();
        var isTag = args.Flag("tag");
        var gitRef = args.Value("ref") ?? branch ?? "main";
        var context = new PipelineContext
        {
            Ref = gitRef,
            IsTag = isTag,
            Source = source,
            Sha = commit ?? head?.Sha ?? new string('0', 40),
            BeforeSha = head?.ParentSha,
            CommitMessage = head?.Message ?? "",
            CommitAuthor = head?.Author,
            CommitTimestamp = head?.CommittedAt,
            ChangedFiles = await ChangedFilesAsync(args, git, isGit && !isTag && source == PipelineSource.Push, head?.ParentSha, cancellationToken),
            DefaultBranch = args.Value("default-branch") ?? defaultBranch ?? "main",
            RefProtected = gitRef == (args.Value("default-branch") ?? defaultBranch ?? "main"),
            ProjectPath = args.Value("project") ?? "local/" + Path.GetFileName(root.TrimEnd('/')),
            Variables = variables,
        };
        var request = new CompileRequest(files, context)
        {
            EntryFile = args.Value("file") ?? ".gitlab-ci.yml",
            Inputs = inputs.Count > 0 ? CompileInputs.FromText(inputs, "--input") : null,
        };
        return new Built(request, null, root) { OpenFiles = OpenFiles };
    }

    /// <summary>
    /// The files of a commit, read through the server's <see cref="CommitFiles"/>. A method of its own, not inlined: a plan
    /// of the working tree then never loads the server's assembly (a few milliseconds of every `relais plan`).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IConfigSource FilesOfCommit(GitRepository git, string commit) => new CommitFiles(git, commit);

    /// <summary>Compiles <paramref name="request"/>, reading its files through git as the compile asks for them; the source's git process ends after.</summary>
    public static async Task<CompileResult> CompileAsync(CompileRequest request, CancellationToken cancellationToken)
    {
        await using (request.Source as IAsyncDisposable)
        {
            return await AsyncCompile.CompileAsync(request, cancellationToken);
        }
    }

    /// <summary>The error message for a bad --source, --variable or --input; null when they are good.</summary>
    private static string? Validate(Args args, out List<ContextVariable> variables, out Dictionary<string, string> inputs)
    {
        variables = [];
        inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (args.Value("source") is { } sourceName && !PipelineSourceNames.TryParse(sourceName, out _))
        {
            return $"--source `{sourceName}` is not one of: {string.Join(", ", PipelineSourceNames.All)}";
        }

        foreach (var pair in args.Values("variable"))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return $"--variable `{pair}` should be KEY=VALUE";
            }

            variables.Add(new ContextVariable(pair[..eq], pair[(eq + 1)..]));
        }

        foreach (var pair in args.Values("input"))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return $"--input `{pair}` should be NAME=VALUE";
            }

            inputs[pair[..eq]] = pair[(eq + 1)..];
        }

        return null;
    }

    /// <summary>--changed, else what HEAD and the working tree change (untracked files included) for a push; else null (every <c>changes</c> holds).</summary>
    private static async Task<IReadOnlyList<string>?> ChangedFilesAsync(Args args, GitRepository git, bool compare, string? parentSha, CancellationToken cancellationToken)
    {
        if (args.Values("changed").Count > 0)
        {
            return args.Values("changed");
        }

        if (!compare || parentSha is null)
        {
            return null;
        }

        var changedQuery = git.ChangedFilesAsync(parentSha, null, cancellationToken);
        var untrackedQuery = git.ListFilesAsync(WorkingTreeFiles.Untracked, cancellationToken);
        var changed = await changedQuery ?? [];
        var untracked = await untrackedQuery ?? [];
        return [.. changed.Concat(untracked).Distinct(StringComparer.Ordinal)];
    }
}
