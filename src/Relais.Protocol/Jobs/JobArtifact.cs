namespace Relais.Protocol.Jobs;

/// <summary>One artifact upload of the job (<c>artifacts[]</c>): the archive or a report.</summary>
public sealed record JobArtifact
{
    /// <summary>The archive name (may contain variables); reports carry their default file name.</summary>
    public string? Name { get; set; }

    /// <summary>Whether files git does not track are included (ignored ones too).</summary>
    public bool Untracked { get; set; }

    /// <summary>Globs relative to the project directory; a directory includes everything below it.</summary>
    public IReadOnlyList<string> Paths { get; set; } = [];

    /// <summary>Globs of files to leave out.</summary>
    public IReadOnlyList<string> Exclude { get; set; } = [];

    /// <summary><c>on_success</c>, <c>on_failure</c> or <c>always</c> (see <see cref="ArtifactWhen"/>).</summary>
    public string? When { get; set; }

    /// <summary>How long the server keeps the artifact (<c>7d</c>, <c>never</c>).</summary>
    public string? ExpireIn { get; set; }

    /// <summary><c>archive</c>, <c>junit</c>, <c>dotenv</c>, ... (see <see cref="ArtifactTypes"/>).</summary>
    public string? ArtifactType { get; set; }

    /// <summary><c>zip</c>, <c>gzip</c> or <c>raw</c> (see <see cref="ArtifactFormats"/>).</summary>
    public string? ArtifactFormat { get; set; }
}

/// <summary>Values of <see cref="JobArtifact.When"/> and <see cref="JobCache.When"/>.</summary>
public static class ArtifactWhen
{
    /// <summary>Only when the job succeeded (the default).</summary>
    public const string OnSuccess = "on_success";

    /// <summary>Only when the job failed.</summary>
    public const string OnFailure = "on_failure";

    /// <summary>Whatever the result.</summary>
    public const string Always = "always";

    /// <summary>Whether an entry with <paramref name="when"/> applies to a job that <paramref name="succeeded"/>.</summary>
    public static bool Applies(string? when, bool succeeded) => when switch
    {
        Always => true,
        OnFailure => !succeeded,
        _ => succeeded,
    };
}

/// <summary>Artifact types the runner treats specially.</summary>
public static class ArtifactTypes
{
    /// <summary>The job's archive.</summary>
    public const string Archive = "archive";

    /// <summary>JUnit XML test reports.</summary>
    public const string Junit = "junit";

    /// <summary>dotenv reports: variables for later jobs.</summary>
    public const string Dotenv = "dotenv";
}

/// <summary>Artifact archive formats.</summary>
public static class ArtifactFormats
{
    /// <summary>A zip archive.</summary>
    public const string Zip = "zip";

    /// <summary>The matching files gzip-compressed, one gzip member per file.</summary>
    public const string Gzip = "gzip";

    /// <summary>The single matching file as is.</summary>
    public const string Raw = "raw";
}
