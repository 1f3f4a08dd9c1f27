using Relais.Pipelines.Sources;
using Relais.Git;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Server.Git;

namespace Relais.Server.Tests.Git;

public sealed class CommitFilesTests
{
    [Fact]
    public async Task An_entry_file_read_ahead_is_not_read_again_by_the_compile()
    {
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "build:\n  script: [echo build]\n");
        var sha = git.Commit("first");
        await using var files = new CommitFiles(GitRepository.At(git.Dir), sha);

        Assert.NotNull(await files.ReadAsync(".gitlab-ci.yml", CancellationToken.None));
        var result = PipelineCompiler.Compile(new CompileRequest(files, new PipelineContext { Ref = "main", Sha = sha }));

        Assert.False(result.HasErrors);
        Assert.False(await files.FetchMissingAsync(CancellationToken.None)); // nothing more to read: one read per ref
    }

    [Fact]
    public async Task The_compile_is_repeated_until_every_include_and_the_file_list_are_read()
    {
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "include: a.yml\nroot:\n  script: [echo]\n");
        git.Write("a.yml", "include: 'b/*.yml'\na:\n  script: [echo]\n");
        git.Write("b/c.yml", "c:\n  script: [echo]\n  rules:\n    - exists: [missing.txt]\n    - when: manual\n");
        var sha = git.Commit("first");
        await using var files = new CommitFiles(GitRepository.At(git.Dir), sha);
        await files.ReadAsync(".gitlab-ci.yml", CancellationToken.None);

        var result = await AsyncCompile.CompileAsync(new CompileRequest(files, new PipelineContext { Ref = "main", Sha = sha }), CancellationToken.None);

        Assert.False(result.HasErrors, string.Join("; ", result.Diagnostics.Select(d => d.Message)));
        Assert.Equal(["a", "c", "root"], result.Plan!.Jobs.Select(j => j.Name).Order(StringComparer.Ordinal));
        Assert.Null(files.ReadFile("missing.txt"));
    }
}
