namespace Relais.Pipelines.Variables;

/// <summary>One variable of a set, in precedence order within the set (a later key wins over an earlier one).</summary>
/// <param name="Key">The name.</param>
/// <param name="Value">The value as defined.</param>
/// <param name="Raw">A raw variable (<c>expand: false</c>) is never expanded itself.</param>
/// <param name="IsFile">A file-type variable: the runner puts its value in a file and exposes the path.</param>
public sealed record VariableDefinition(string Key, string Value, bool Raw = false, bool IsFile = false);

/// <summary>How <see cref="VariableSetExpander"/> treats references it cannot or should not replace.</summary>
/// <param name="KeepUndefined">Keep references to undefined variables as written (else they become empty).</param>
/// <param name="ExpandFileReferences">Replace a reference to a file variable by its content (else keep it for the runner, which substitutes the file's path).</param>
/// <param name="ExpandRawReferences">Replace a reference to a raw variable by its value (else keep it, so the runner sees the raw variable and leaves its value alone).</param>
public readonly record struct VariableSetOptions(bool KeepUndefined, bool ExpandFileReferences, bool ExpandRawReferences)
{
    /// <summary>What GitLab sends to the runner (<c>runner_variables</c>): undefined, file and raw references all kept.</summary>
    public static VariableSetOptions RunnerPayload { get; } = new(KeepUndefined: true, ExpandFileReferences: false, ExpandRawReferences: false);

    /// <summary>GitLab's defaults (e.g. the values used to expand <c>rules:changes</c> paths): everything replaced, undefined ones by nothing.</summary>
    public static VariableSetOptions Complete { get; } = new(KeepUndefined: false, ExpandFileReferences: true, ExpandRawReferences: true);
}
