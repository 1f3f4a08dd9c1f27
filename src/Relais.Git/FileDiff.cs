namespace Relais.Git;

/// <summary>How one file changed between two trees, as <see cref="RepositoryDiffs.DiffAsync"/> reads it.</summary>
/// <param name="OldPath">The path before (the same as <paramref name="NewPath"/> unless renamed).</param>
/// <param name="NewPath">The path after.</param>
/// <param name="OldMode">The mode before (<c>000000</c> for a new file).</param>
/// <param name="NewMode">The mode after (<c>000000</c> for a deleted file).</param>
/// <param name="Status">git's letter: A, D, M, R, T…</param>
/// <param name="Patch">The hunks (from the first <c>@@</c>), empty for a binary file or one whose patch is too large.</param>
/// <param name="TooLarge">True when the patch was left out for its size.</param>
public sealed record FileDiff(string OldPath, string NewPath, string OldMode, string NewMode, char Status, string Patch, bool TooLarge)
{
    /// <summary>Lines added (counted from the whole patch, also when it is too large to return).</summary>
    public int Additions { get; init; }

    /// <summary>Lines removed.</summary>
    public int Deletions { get; init; }

    /// <summary>True for an added file.</summary>
    public bool IsNew => Status == 'A';

    /// <summary>True for a deleted file.</summary>
    public bool IsDeleted => Status == 'D';

    /// <summary>True for a renamed file.</summary>
    public bool IsRenamed => Status == 'R';
}
