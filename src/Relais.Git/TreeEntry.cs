namespace Relais.Git;

/// <summary>One entry of a tree, as <c>git ls-tree --long</c> shows it.</summary>
/// <param name="Mode">The mode (<c>100644</c>, <c>100755</c>, <c>040000</c>, <c>120000</c>, <c>160000</c>).</param>
/// <param name="Type"><c>blob</c>, <c>tree</c> or <c>commit</c> (a submodule).</param>
/// <param name="ObjectId">The object's id.</param>
/// <param name="Size">A blob's size in bytes; null for anything else.</param>
/// <param name="Path">The path from the tree listed (or from the commit's root).</param>
public sealed record TreeEntry(string Mode, string Type, string ObjectId, long? Size, string Path)
{
    /// <summary>The last segment of <see cref="Path"/>.</summary>
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}
