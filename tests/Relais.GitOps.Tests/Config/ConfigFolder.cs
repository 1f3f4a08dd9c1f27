namespace Relais.GitOps.Tests.Config;

/// <summary>A temporary configuration folder (and secrets folder) that tests write manifests into.</summary>
internal sealed class ConfigFolder : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("relais-gitops-config-");

    public string Dir => Path.Combine(_root.FullName, "config");

    public string SecretsDir => Path.Combine(_root.FullName, "secrets");

    public ConfigFolder Write(string relativePath, string text) => WriteUnder(Dir, relativePath, text);

    public ConfigFolder WriteSecret(string relativePath, string text) => WriteUnder(SecretsDir, relativePath, text);

    public void Dispose() => _root.Delete(recursive: true);

    private ConfigFolder WriteUnder(string dir, string relativePath, string text)
    {
        var path = Path.Combine(dir, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }
}
