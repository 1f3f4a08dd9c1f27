namespace Relais.Pipelines.Yaml;

/// <summary>A parsed configuration file: its optional <c>spec:</c> header document and its body.</summary>
public sealed record YamlFile(string Path, YamlMapping? Header, YamlMapping Body);
