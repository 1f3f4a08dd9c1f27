using System.Globalization;

namespace Relais.Bench.Gen;

/// <summary>
/// <c>gen</c> mode: writes the benchmark repositories under one folder, each a fresh git checkout:
/// <list type="bullet">
/// <item><c>big/</c>: the generated monorepo pipeline, two commits (the second changes two gated services and the docs; <c>origin/main</c> is the first, so <c>rules:changes</c> has a diff to look at)</item>
/// <item><c>tiny-flat/</c> and <c>tiny-chain/</c>: the <c>relais run</c> comparisons</item>
/// </list>
/// </summary>
internal static class Generator
{
    /// <summary>Both tools keep state in the checkout; ignored, it is no untracked (so "changed") file for `relais plan`.</summary>
    private const string GitIgnore = ".gitlab-ci-local/\n.relais/\n";

    public static int Run(string outDir, int jobs, int seed, TextWriter log)
    {
        Directory.CreateDirectory(outDir);
        var big = BigPipeline.Generate(jobs, seed);
        var bigDir = Path.Combine(outDir, "big");
        WriteBig(bigDir, big);
        WriteTiny(Path.Combine(outDir, "tiny-flat"), "tiny-flat", TinyPipelines.Flat());
        WriteTiny(Path.Combine(outDir, "tiny-chain"), "tiny-chain", TinyPipelines.Chain());

        var changed = GitRepo.Git(bigDir, 0, "diff", "--name-only", "origin/main", "HEAD").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var lines = big.Yaml.Count(ch => ch == '\n');
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gen: {bigDir}/.gitlab-ci.yml: {big.WrittenJobs} jobs as written, {big.ExpandedJobs} after parallel, " +
            $"{big.Components.Count} services ({big.Components.Count(c => c.Gated)} gated on changes), {lines} lines, {big.Yaml.Length / 1024} KiB (seed {seed})"));
        log.WriteLine($"gen: changed since origin/main: {string.Join(", ", changed)}");
        log.WriteLine($"gen: {Path.Combine(outDir, "tiny-flat")} ({TinyPipelines.Jobs} jobs, 1 stage), {Path.Combine(outDir, "tiny-chain")} ({TinyPipelines.Jobs} jobs, {TinyPipelines.Jobs} stages)");
        return 0;
    }

    private static void WriteBig(string dir, BigPipelineResult big)
    {
        GitRepo.Create(dir);
        GitRepo.Write(dir, "README.md", GitRepo.Marker + " A monorepo-shaped repository for benchmarking pipeline compilation.\n");
        GitRepo.Write(dir, ".gitlab-ci.yml", big.Yaml);
        GitRepo.Write(dir, ".gitignore", GitIgnore);
        GitRepo.Write(dir, "libs/common/README.md", "Shared code.\n");
        GitRepo.Write(dir, "libs/common/strings.txt", "helpers\n");
        GitRepo.Write(dir, "docs/index.md", "# Docs\n");
        foreach (var c in big.Components)
        {
            GitRepo.Write(dir, $"services/{c.Name}/README.md", $"# {c.Name}\n");
            GitRepo.Write(dir, $"services/{c.Name}/src/main.{c.Lang.Ext}", $"// {c.Name} entry point\n");
            GitRepo.Write(dir, $"services/{c.Name}/tests/main_test.{c.Lang.Ext}", $"// {c.Name} tests\n");
            GitRepo.Write(dir, $"services/{c.Name}/docs/overview.md", $"# {c.Name} overview\n");
        }

        GitRepo.CommitAll(dir, 1, "Initial monorepo");
        GitRepo.FakeOrigin(dir, "big", "HEAD");

        foreach (var c in big.Components.Where(c => c.Gated).Take(2))
        {
            GitRepo.Write(dir, $"services/{c.Name}/src/main.{c.Lang.Ext}", $"// {c.Name} entry point, changed\n");
        }

        GitRepo.Write(dir, "docs/index.md", "# Docs\n\nUpdated.\n");
        GitRepo.CommitAll(dir, 2, "Change two services and the docs");
    }

    private static void WriteTiny(string dir, string name, string yaml)
    {
        GitRepo.Create(dir);
        GitRepo.Write(dir, "README.md", GitRepo.Marker + $" {name}: a small pipeline for `relais run` comparisons.\n");
        GitRepo.Write(dir, ".gitlab-ci.yml", yaml);
        GitRepo.Write(dir, ".gitignore", GitIgnore);
        GitRepo.CommitAll(dir, 1, "Tiny pipeline");
        GitRepo.FakeOrigin(dir, name, "HEAD");
    }
}
