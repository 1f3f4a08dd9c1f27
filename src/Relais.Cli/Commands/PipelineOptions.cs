using Relais.Cli.Git;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;

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

    /// <summary>Builds the compile request, or returns an error message for bad options.</summary>
    public static CompileRequest? Build(Args args, string directory, out string? error, out string root)
    {
        error = null;
        // One call for the top level and the branch (`HEAD` when detached).
        var top = new GitCli(directory).Lines("rev-parse", "--show-toplevel", "--abbrev-ref", "HEAD");
        root = top.Count > 0 ? top[0] : GitCli.TopLevel(directory) ?? directory; // a repository without commits has no HEAD yet
        var isGit = Directory.Exists(Path.Combine(root, ".git")) || File.Exists(Path.Combine(root, ".git"));
        var git = new GitCli(root);
        var branch = top.Count > 1 && top[1] != "HEAD" ? top[1] : null;
        var head = isGit ? HeadInfo.Read(git, branch) : HeadInfo.None;

        var source = PipelineSource.Push;
        if (args.Value("source") is { } sourceName && !PipelineSourceNames.TryParse(sourceName, out source))
        {
            error = $"--source `{sourceName}` is not one of: {string.Join(", ", PipelineSourceNames.All)}";
            return null;
        }

        var variables = new List<ContextVariable>();
        foreach (var pair in args.Values("variable"))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"--variable `{pair}` should be KEY=VALUE";
                return null;
            }

            variables.Add(new ContextVariable(pair[..eq], pair[(eq + 1)..]));
        }

        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in args.Values("input"))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"--input `{pair}` should be NAME=VALUE";
                return null;
            }

            inputs[pair[..eq]] = pair[(eq + 1)..];
        }

        var commit = args.Value("commit");
        IConfigSource files = commit is null ? new WorkingTreeSource(root, isGit) : new CommitSource(git, commit);
        var isTag = args.Flag("tag");
        var gitRef = args.Value("ref") ?? head.Branch ?? "main";
        var context = new PipelineContext
        {
            Ref = gitRef,
            IsTag = isTag,
            Source = source,
            Sha = commit ?? head.Sha ?? new string('0', 40),
            BeforeSha = head.ParentSha,
            CommitMessage = head.Message ?? "",
            CommitAuthor = head.Author,
            CommitTimestamp = head.Timestamp,
            ChangedFiles = ChangedFiles(args, git, isGit, isTag, source, head),
            DefaultBranch = args.Value("default-branch") ?? head.DefaultBranch ?? "main",
            RefProtected = gitRef == (args.Value("default-branch") ?? head.DefaultBranch ?? "main"),
            ProjectPath = args.Value("project") ?? "local/" + Path.GetFileName(root.TrimEnd('/')),
            Variables = variables,
        };
        return new CompileRequest(files, context)
        {
            EntryFile = args.Value("file") ?? ".gitlab-ci.yml",
            Inputs = inputs.Count > 0 ? CompileInputs.FromText(inputs, "--input") : null,
        };
    }

    private static IReadOnlyList<string>? ChangedFiles(Args args, GitCli git, bool isGit, bool isTag, PipelineSource source, HeadInfo head)
    {
        if (args.Values("changed").Count > 0)
        {
            return args.Values("changed");
        }

        if (!isGit || isTag || source != PipelineSource.Push || head.ParentSha is null)
        {
            return null;
        }

        return [.. git.Lines("diff", "--name-only", head.ParentSha)
            .Concat(git.Lines("ls-files", "--others", "--exclude-standard"))
            .Distinct(StringComparer.Ordinal)];
    }
}
