namespace Relais.Cli.Tests;

/// <summary>A throwaway git repository on disk, made with the real git CLI.</summary>
internal sealed class GitRepo : IDisposable
{
    private readonly TempDirectory _directory = new("cli");

    public GitRepo()
    {
        Root = _directory.Path;
        Git("init", "-q", "-b", "main");
        Git("config", "user.email", "test@relais.local");
        Git("config", "user.name", "Relais Test");
        Git("config", "commit.gpgsign", "false");
    }

    public string Root { get; }

    public GitRepo Write(string path, string content)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public GitRepo Commit(string message = "change")
    {
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
        return this;
    }

    public string Git(params string[] args) => global::Relais.TestSupport.TestGit.Run(Root, args);

    /// <summary>Runs <c>relais ARGS</c> in-process in this repository.</summary>
    public (int Exit, string Out, string Err) Relais(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CommandLine.RunAsync(args, stdout, stderr, Root).GetAwaiter().GetResult();
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => _directory.Dispose();
}
