using System.Collections.Concurrent;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Tests.Schema;

/// <summary>
/// GitLab's own schema test files in the shared corpus (never copied into this repository), read the
/// way its README says: each top-level key of a file is a case, checked as the one-key document
/// <c>{key: value}</c>; in the two "global" files each value is a whole document.
/// </summary>
internal static class SchemaCorpus
{
    /// <summary>The files whose top-level keys only name cases, each value being a whole document.</summary>
    private static readonly string[] WholeDocumentFiles =
    [
        "workflow/auto_cancel/on_job_failure.yml",
        "workflow/auto_cancel/on_new_commit.yml",
    ];

    private static readonly ConcurrentDictionary<string, YamlMapping> Files = new(StringComparer.Ordinal);

    /// <summary><c>…/corpus/gitlab-schema</c>, or null when the shared corpus is not checked out.</summary>
    public static string? Root { get; } = SharedCorpus.PathOf("gitlab-schema");


    /// <summary>(file relative to positive/ or negative/, case name) for every case of a folder.</summary>
    public static IEnumerable<object[]> Cases(string folder)
    {
        if (Root is null)
        {
            yield break;
        }

        var dir = Path.Combine(Root, folder);
        foreach (var path in Directory.EnumerateFiles(dir, "*.yml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var file = Path.GetRelativePath(dir, path).Replace('\\', '/');
            foreach (var key in Load(folder, file).Keys)
            {
                yield return [file, key];
            }
        }
    }

    /// <summary>Validates one case and returns what was found.</summary>
    public static DiagnosticBag Validate(string folder, string file, string caseName)
    {
        var body = Load(folder, file);
        var entry = body.Entry(caseName) ?? throw new InvalidOperationException($"{folder}/{file} has no case `{caseName}`");
        var document = WholeDocumentFiles.Contains(file, StringComparer.Ordinal)
            ? entry.Value as YamlMapping ?? throw new InvalidOperationException($"{folder}/{file}: `{caseName}` is not a document")
            : new YamlMapping(entry.KeyLocation, [entry]);
        var bag = new DiagnosticBag();
        Relais.Pipelines.Schema.SchemaValidator.ValidateDocument(document, bag);
        return bag;
    }

    private static YamlMapping Load(string folder, string file) => Files.GetOrAdd(folder + "/" + file, _ =>
    {
        var bag = new DiagnosticBag();
        var text = File.ReadAllText(Path.Combine(Root!, folder, file));
        var parsed = YamlLoader.Load(folder + "/" + file, text, bag)
            ?? throw new InvalidOperationException($"{folder}/{file} does not load: {string.Join("; ", bag.Items)}");
        return parsed.Body;
    });
}
