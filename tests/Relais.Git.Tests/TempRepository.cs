namespace Relais.Git.Tests;

/// <summary>A real git checkout in a temp folder, deleted after the test; commits are made with fixed identities.</summary>
internal sealed class TempRepository : IDisposable
{
    public TempRepository()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "relais-git-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Path);
        Git = GitRepository.At(Path);
    }

    public string Path { get; }

    public GitRepository Git { get; }

    public static async Task<TempRepository> InitAsync(string branch = "main")
    {
        var repo = new TempRepository();
        await repo.MustAsync("init", "-q", "-b", branch);
        await repo.MustAsync("config", "user.name", "Ada");
        await repo.MustAsync("config", "user.email", "ada@example.com");
        return repo;
    }

    public void Write(string path, string text)
    {
        var full = System.IO.Path.Combine(Path, path);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    /// <summary>Writes the files, commits all and returns the new commit's id.</summary>
    public async Task<string> CommitAsync(string message, params (string Path, string Text)[] files)
    {
        foreach (var (path, text) in files)
        {
            Write(path, text);
        }

        await MustAsync("add", "-A");
        await MustAsync("commit", "-q", "--allow-empty", "-m", message);
        return (await Git.ResolveCommitAsync("HEAD", CancellationToken.None))!;
    }

    public async Task<GitResult> MustAsync(params string[] arguments)
    {
        var result = await Git.RunAsync(arguments, CancellationToken.None);
        Assert.True(result.Succeeded, $"git {string.Join(' ', arguments)}: {result.Error}");
        return result;
    }

    public void Dispose()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal); // git's objects are read-only
        }

        System.IO.Directory.Delete(Path, recursive: true);
    }
}
