namespace Relais.Protocol.Jobs;

/// <summary>An earlier job whose artifacts this job downloads (<c>dependencies[]</c>).</summary>
public sealed record JobDependency
{
    /// <summary>The earlier job's id.</summary>
    public long Id { get; set; }

    /// <summary>The earlier job's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The token to download with.</summary>
    public string Token { get; set; } = "";

    /// <summary>The archive; dependencies without a file name are skipped.</summary>
    public ArtifactsFile? ArtifactsFile { get; set; }
}

/// <summary>The artifact archive of a dependency.</summary>
public sealed record ArtifactsFile
{
    /// <summary>The archive's file name, e.g. <c>artifacts.zip</c>.</summary>
    public string? Filename { get; set; }

    /// <summary>The archive's size in bytes.</summary>
    public long Size { get; set; }
}

/// <summary>Registry credentials (<c>credentials[]</c>).</summary>
public sealed record JobCredential
{
    /// <summary><c>registry</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The registry host.</summary>
    public string Url { get; set; } = "";

    /// <summary>The user name.</summary>
    public string Username { get; set; } = "";

    /// <summary>The password (a job token).</summary>
    public string Password { get; set; } = "";
}

/// <summary>Server-side features for the runner (<c>features</c>).</summary>
public sealed record JobFeatures
{
    /// <summary>Whether the server renders log sections.</summary>
    public bool TraceSections { get; set; }

    /// <summary>The failure reasons the server understands.</summary>
    public IReadOnlyList<string> FailureReasons { get; set; } = [];

    /// <summary>Token prefixes (like <c>glpat-</c>) whose tokens the runner masks.</summary>
    public IReadOnlyList<string> TokenMaskPrefixes { get; set; } = [];
}
