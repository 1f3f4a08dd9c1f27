namespace Relais.GitOps.Appliers.Docker;

/// <summary>A top-level config or secret of a stack file given a content-hashed name.</summary>
/// <param name="Kind"><c>config</c> or <c>secret</c>.</param>
/// <param name="Key">Its key in the file (what services refer to).</param>
/// <param name="Name">The Swarm object's name: <c>stack_key-hash</c> (or the file's own <c>name:</c> with the hash).</param>
public sealed record HashedObject(string Kind, string Key, string Name);
