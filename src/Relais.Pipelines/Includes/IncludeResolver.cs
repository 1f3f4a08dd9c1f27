using Relais.Pipelines.Sources;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Includes;

/// <summary>
/// Turns one <c>include</c> entry into the files it names: <c>local</c> (with globs), <c>project</c> +
/// <c>file</c> + <c>ref</c>, and <c>remote</c>/<c>template</c>/<c>component</c> through the external
/// resolver when one is supplied. Files are read and parsed once per compilation.
/// </summary>
internal sealed class IncludeResolver(Compilation.CompilationState compilation)
{
    private readonly Dictionary<string, YamlFile?> _cache = new(StringComparer.Ordinal);

    public IEnumerable<IncludedFile> Resolve(YamlNode item, IConfigSource source)
    {
        var scope = compilation.PipelineScope;
        var inputs = InputsOf(item);
        switch (item)
        {
            case YamlScalar s when s.Text() is { } text:
                return text.StartsWith("https://", StringComparison.Ordinal) || text.StartsWith("http://", StringComparison.Ordinal)
                    ? External("remote", scope.Expand(text), s.Location, inputs)
                    : Local(scope.Expand(text), source, s.Location, inputs);
            case YamlMapping map when map["local"].Text() is { } local:
                return Local(scope.Expand(local), source, map.Location, inputs);
            case YamlMapping map when map["project"].Text() is { } project:
                return Project(scope.Expand(project), map["ref"].Text() is { } r ? scope.Expand(r) : null, map["file"].Strings(), source, map.Location, inputs);
            case YamlMapping map when map["remote"].Text() is { } remote:
                return External("remote", scope.Expand(remote), map.Location, inputs);
            case YamlMapping map when map["template"].Text() is { } template:
                return External("template", template, map.Location, inputs);
            case YamlMapping map when map["component"].Text() is { } component:
                return Component(scope.Expand(component), map.Location, inputs);
            default:
                compilation.Diagnostics.Error("include-invalid", item.Location,
                    "include: each entry needs one of `local`, `project` + `file`, `remote`, `template` or `component`");
                return [];
        }
    }

    private static IReadOnlyDictionary<string, YamlNode>? InputsOf(YamlNode item) =>
        item is YamlMapping map && map["inputs"] is YamlMapping inputs
            ? inputs.Entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal)
            : null;

    private IEnumerable<IncludedFile> Local(string path, IConfigSource source, SourceLocation at, IReadOnlyDictionary<string, YamlNode>? inputs)
    {
        var relative = path.TrimStart('/');
        if (relative.Contains('*', StringComparison.Ordinal))
        {
            var matcher = Compilation.Support.IncludeGlob(relative);
            var matches = source.ListFiles().Where(matcher).Where(IsYaml).Order(StringComparer.Ordinal).ToList();
            if (matches.Count == 0)
            {
                compilation.Diagnostics.Warning("include-no-match", at, $"include: no file matches `{path}`");
            }

            foreach (var match in matches)
            {
                if (Load(source, match, at, "local file") is { } globbed)
                {
                    yield return new IncludedFile(IncludedFile.KeyOf(source, match), globbed, source, inputs);
                }
            }

            yield break;
        }

        if (!IsYaml(relative))
        {
            compilation.Diagnostics.Error("include-not-yaml", at, $"include: `{path}` does not have a YAML extension (.yml or .yaml)");
            yield break;
        }

        if (!IsLiteralPath(relative))
        {
            // GitLab looks the path up as written among the commit's tree entries, whose paths have no `.` or `..`
            // segments: `./ci.yml` or `../ci/x.yml` names no file there. Nor here, in a working tree or a commit.
            compilation.Diagnostics.Error("include-missing", at, $"include: local file `{relative}` does not exist (paths are looked up as written, from the repository's root: no `.` or `..` segments)");
            yield break;
        }

        if (Load(source, relative, at, "local file") is { } file)
        {
            yield return new IncludedFile(IncludedFile.KeyOf(source, relative), file, source, inputs);
        }
    }

    /// <summary>Whether <paramref name="path"/> can be a tree entry's path: no empty, <c>.</c> or <c>..</c> segment.</summary>
    private static bool IsLiteralPath(string path) => path.Split('/').All(segment => segment is not ("" or "." or ".."));

    private IEnumerable<IncludedFile> Project(string project, string? gitRef, IReadOnlyList<string> files, IConfigSource source, SourceLocation at, IReadOnlyDictionary<string, YamlNode>? inputs)
    {
        var other = source.OpenProject(project, gitRef);
        if (other is null)
        {
            compilation.Diagnostics.Error("include-project", at,
                $"include: project `{project}`{(gitRef is null ? "" : $" at `{gitRef}`")} cannot be read (it does not exist, or this pipeline has no access)");
            yield break;
        }

        foreach (var path in files.Select(f => compilation.PipelineScope.Expand(f).TrimStart('/')))
        {
            if (Load(other, path, at, $"file of project `{project}`") is { } file)
            {
                yield return new IncludedFile(IncludedFile.KeyOf(other, path), file, other, inputs);
            }
        }
    }

    /// <summary>
    /// A component of a project on this server (the address's host is <c>CI_SERVER_FQDN</c>): this pipeline's own
    /// project at <c>CI_COMMIT_SHA</c> is the source being compiled (GitLab's documented way to test a project's
    /// components); another project or version is read through <see cref="IConfigSource.OpenProject"/>. Any other
    /// address, or a project that cannot be opened, goes to the external resolver.
    /// </summary>
    private IEnumerable<IncludedFile> Component(string address, SourceLocation at, IReadOnlyDictionary<string, YamlNode>? inputs)
    {
        var scope = compilation.PipelineScope;
        if (ComponentAddress.Parse(address) is not { } component || component.Host != scope.Expand("$CI_SERVER_FQDN"))
        {
            return External("component", address, at, inputs);
        }

        var own = component.Project == scope.Expand("$CI_PROJECT_PATH") && component.Version == scope.Expand("$CI_COMMIT_SHA");
        var project = own ? compilation.Request.Source : compilation.Request.Source.OpenProject(component.Project, component.Version);
        if (project is null)
        {
            return External("component", address, at, inputs); // not readable here: perhaps the resolver has it
        }

        var path = component.Files.FirstOrDefault(f => project.ReadFile(f) is not null);
        if (path is null)
        {
            compilation.Diagnostics.Error("include-component", at,
                $"include:component `{address}`: project `{component.Project}` has no `{component.Files[0]}` or `{component.Files[1]}` at `{component.Version}`");
            return [];
        }

        return Load(project, path, at, "component file") is { } file ? [new IncludedFile(IncludedFile.KeyOf(project, path), file, project, inputs)] : [];
    }

    private IEnumerable<IncludedFile> External(string kind, string location, SourceLocation at, IReadOnlyDictionary<string, YamlNode>? inputs)
    {
        var resolver = compilation.Request.ExternalIncludes;
        var key = kind + ":" + location;
        if (!_cache.TryGetValue(key, out var file))
        {
            var text = resolver?.Resolve(kind, location);
            file = text is null ? null : YamlLoader.Load(location, text, compilation.Diagnostics, compilation.Request.Limits);
            _cache[key] = file;
            if (text is null)
            {
                compilation.Diagnostics.Error("include-unavailable", at, Unavailable(kind, location));
            }
        }

        if (file is not null)
        {
            yield return new IncludedFile(key, file, compilation.Request.Source, inputs);
        }
    }

    /// <summary>Why an outside file cannot be read, and (for templates and remote files) how to vendor it.</summary>
    private static string Unavailable(string kind, string location)
    {
        var prefix = $"include:{kind} `{location}` is not available: ";
        var vendored = $"copy it into this repository (for example as `ci/{FileName(location)}`) and include it with `include:local`";
        return kind switch
        {
            "template" => prefix + "Relais fetches nothing from gitlab.com, where GitLab's templates live; " + vendored,
            "remote" => prefix + "Relais does not download configuration from other servers; " + vendored,
            _ => prefix + "Relais reads only this repository and projects on this server",
        };
    }

    /// <summary>The last segment of a template path or URL, without a query.</summary>
    private static string FileName(string location)
    {
        var path = location.Split('?', '#')[0];
        return path[(path.LastIndexOf('/') + 1)..];
    }

    private YamlFile? Load(IConfigSource source, string path, SourceLocation at, string what)
    {
        var key = IncludedFile.KeyOf(source, path);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var text = source.ReadFile(path);
        if (text is null)
        {
            compilation.Diagnostics.Error("include-missing", at, $"include: {what} `{path}` does not exist");
        }

        return _cache[key] = text is null ? null : YamlLoader.Load(path, text, compilation.Diagnostics, compilation.Request.Limits);
    }

    private static bool IsYaml(string path) =>
        path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase);
}
