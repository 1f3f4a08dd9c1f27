namespace Relais.Pipelines.Schema;

/// <summary>The diagnostic codes the structural validation reports, stable for tests and tooling.</summary>
public static class SchemaCodes
{
    /// <summary>A key that is not a keyword of the hash it sits in.</summary>
    public const string UnknownKey = "unknown-key";

    /// <summary>A value of the wrong kind: a string where a list goes, a hash where a number goes, ….</summary>
    public const string WrongType = "wrong-type";

    /// <summary>A value of the right kind that is not allowed: not in an enumeration, out of range, badly formed.</summary>
    public const string BadValue = "bad-value";

    /// <summary>A keyword that must be present is not.</summary>
    public const string MissingKey = "missing-key";

    /// <summary>Two keywords that cannot be used together.</summary>
    public const string ConflictingKeys = "conflicting-keys";

    /// <summary>A keyword GitLab still accepts but has deprecated (a warning).</summary>
    public const string Deprecated = "deprecated";
}
