namespace Relais.GitOps.Sources;

/// <summary>
/// One fetched revision of a <c>GitRepository</c>: a folder holding the repository's files at <see cref="Commit"/>
/// (a checkout the appliers read; nobody writes to it).
/// </summary>
/// <param name="RepositoryKey">The <c>GitRepository</c>'s <c>namespace/name</c>.</param>
/// <param name="Directory">The files at the commit.</param>
/// <param name="Commit">The full commit SHA.</param>
/// <param name="Revision">Flux's revision string: <c>main@sha1:&lt;sha&gt;</c> for a branch, <c>v1.0@sha1:…</c> for a tag, <c>sha1:…</c> for a commit.</param>
/// <param name="Branch">The branch followed, when the reference is a branch (the image updater pushes to it).</param>
public sealed record SourceArtifact(string RepositoryKey, string Directory, string Commit, string Revision, string? Branch);
