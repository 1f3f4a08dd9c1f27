namespace Relais.Pipelines.Yaml;

/// <summary>A place in a configuration file: repository-relative path, 1-based line and column.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation None { get; } = new("", 0, 0);

    public bool IsNone => Line == 0 && File.Length == 0;

    public override string ToString() => Line == 0 ? File : $"{File}:{Line}:{Column}";
}
