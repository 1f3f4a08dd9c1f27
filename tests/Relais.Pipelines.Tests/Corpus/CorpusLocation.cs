namespace Relais.Pipelines.Tests.Corpus;

/// <summary>
/// Finds <c>../shared/corpus</c> beside the repository (walking up from the test binaries to the folder
/// holding Relais.sln). The corpus is never copied into the repository; tests skip when it is absent.
/// </summary>
internal static class CorpusLocation
{
    public const string Missing = "../shared/corpus is not beside this repository; corpus tests skipped";

    public static string? Root { get; } = Find();

    public static string? Path(string relative) => Root is null ? null : System.IO.Path.Combine(Root, relative);

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Relais.sln")))
            {
                var corpus = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "corpus"));
                return Directory.Exists(corpus) ? corpus : null;
            }
        }

        return null;
    }
}

/// <summary>A theory over corpus files that reports itself skipped, with the reason, when the corpus is absent.</summary>
internal sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public CorpusTheoryAttribute()
    {
        if (CorpusLocation.Root is null)
        {
            Skip = CorpusLocation.Missing;
        }
    }
}
