using Relais.Git;
using Relais.Protocol;
using Relais.Runner.Jobs;

namespace Relais.Runner.Sources;

/// <summary>The git commands of one <c>get_sources</c> run; each step returns null to go on, or the failure.</summary>
internal sealed class GitSteps(SourceContext context, CancellationToken cancellationToken)
{
    private readonly string _dir = context.Paths.HostProjectDir;
    private readonly bool _localRemote = IsLocal(context.Job.GitInfo.RepoUrl);

    public async Task<StageResult?> FetchAsync()
    {
        var info = context.Job.GitInfo;
        var depth = GitSourceProvider.ParseDepth(context.Variables.Get("GIT_DEPTH")) ?? info.Depth;
        context.Log.Notice(depth > 0 ? $"Fetching changes with git depth set to {depth}..." : "Fetching changes...");
        Directory.CreateDirectory(_dir);
        var failed = await Git("init", "-q", _dir);
        if (failed is not null)
        {
            return failed;
        }

        foreach (var lockFile in new[] { "index.lock", "shallow.lock", "HEAD.lock", "hooks/post-checkout", "config.lock" })
        {
            File.Delete(Path.Combine(_dir, ".git", lockFile));
        }

        var url = RemoteUrl(info.RepoUrl);
        if ((await GitRepository.At(_dir).RunAsync(["remote", "add", "origin", url], cancellationToken)).Succeeded)
        {
            context.Log.Notice("Created fresh repository.");
        }
        else if ((failed = await Git("remote", "set-url", "origin", url)) is not null)
        {
            return failed;
        }

        var fetch = new List<string> { "-c", "fetch.recurseSubmodules=false", "fetch", "origin" };
        fetch.AddRange(Refspecs(depth));
        if (depth > 0)
        {
            fetch.AddRange(["--depth", depth.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        fetch.AddRange(Flags("GIT_FETCH_EXTRA_FLAGS", "--prune --quiet"));
        return await Git([.. fetch]);
    }

    public async Task<StageResult?> CheckoutAsync()
    {
        var info = context.Job.GitInfo;
        if (context.Variables.Get("GIT_CHECKOUT")?.Trim().ToLowerInvariant() is "false" or "0")
        {
            context.Log.Notice("Skipping Git checkout");
            return null;
        }

        var target = info.Sha.Length > 0 ? info.Sha : "FETCH_HEAD";
        var shown = target.Length >= 8 ? target[..8] : target;
        context.Log.Notice($"Checking out {shown} as detached HEAD (ref is {info.Ref})...");
        var failed = await Git("-c", "advice.detachedHead=false", "checkout", "-f", "-q", target);
        if (failed is not null)
        {
            return failed;
        }

        var clean = Flags("GIT_CLEAN_FLAGS", "-ffdx");
        return clean.Count == 1 && clean[0] == "none" ? null : await Git(["clean", .. clean]);
    }

    public async Task<StageResult?> SubmodulesAsync()
    {
        var strategy = context.Variables.Get("GIT_SUBMODULE_STRATEGY")?.Trim().ToLowerInvariant();
        if (strategy is null or "" or "none")
        {
            context.Log.Notice("Skipping Git submodules setup");
            return null;
        }

        if (strategy is not ("normal" or "recursive"))
        {
            return StageResult.Failed(FailureReasons.RunnerSystemFailure, $"unknown GIT_SUBMODULE_STRATEGY '{strategy}'");
        }

        var recursive = strategy == "recursive";
        context.Log.Notice(recursive ? "Updating/initializing submodules recursively..." : "Updating/initializing submodules...");
        string[] allow = _localRemote ? ["-c", "protocol.file.allow=always"] : [];
        string[] recurse = recursive ? ["--recursive"] : [];
        var paths = Flags("GIT_SUBMODULE_PATHS", "");
        string[] pathArgs = paths.Count > 0 ? ["--", .. paths] : [];
        var depth = GitSourceProvider.ParseDepth(context.Variables.Get("GIT_SUBMODULE_DEPTH"));
        string[] depthArgs = depth > 0 ? ["--depth", depth.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        return await Git(["submodule", "init", .. pathArgs])
            ?? await Git(["submodule", "sync", .. recurse, .. pathArgs])
            ?? await Git([.. allow, "submodule", "update", "--init", .. recurse, .. depthArgs, .. Flags("GIT_SUBMODULE_UPDATE_FLAGS", ""), .. pathArgs])
            ?? await Git(["submodule", "foreach", .. recurse, "git clean -ffdx && git reset --hard -q"]);
    }

    private IEnumerable<string> Refspecs(int depth)
    {
        var info = context.Job.GitInfo;
        if (info.Refspecs.Count > 0)
        {
            return info.Refspecs;
        }

        if (info.Ref.Length == 0)
        {
            return info.Sha.Length > 0 ? [info.Sha] : ["HEAD"];
        }

        var head = info.RefType == "tag"
            ? $"+refs/tags/{info.Ref}:refs/tags/{info.Ref}"
            : $"+refs/heads/{info.Ref}:refs/remotes/origin/{info.Ref}";
        return depth > 0 ? [head] : [head, "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"];
    }

    private List<string> Flags(string variable, string defaults)
    {
        var value = context.Variables.Get(variable) ?? defaults;
        return value.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private Task<StageResult?> Git(params string[] arguments) => Git((IReadOnlyList<string>)arguments);

    private async Task<StageResult?> Git(IReadOnlyList<string> arguments)
    {
        var code = await GitProcess.StreamAsync(GitRepository.At(_dir).Command(arguments), chunk => context.Log.Write(chunk.Span), cancellationToken);
        return code == 0
            ? null
            : StageResult.Failed(FailureReasons.ScriptFailure, $"git {string.Join(' ', arguments.Where(a => !a.Contains("://", StringComparison.Ordinal)))} exited with {code}", code);
    }

    private static string RemoteUrl(string repoUrl) =>
        IsLocal(repoUrl) && !repoUrl.StartsWith("file://", StringComparison.Ordinal) ? Path.GetFullPath(repoUrl) : repoUrl;

    private static bool IsLocal(string url) =>
        url.StartsWith("file://", StringComparison.Ordinal)
        || (!url.Contains("://", StringComparison.Ordinal) && !System.Text.RegularExpressions.Regex.IsMatch(url, "^[^/]+@[^/]+:"));
}
