using System.Text.Json;
using Relais.Pipelines.Context;
using Relais.Server.Security;

namespace Relais.Server.Pipelines;

/// <summary>
/// The variables given when a manual job is played, as <see cref="Storage.IJobPlayVariableStore"/> keeps them: a JSON
/// list of key, value and file, sealed with <see cref="SecretBox"/> (a value may be a secret, as GitLab encrypts job
/// variables at rest).
/// </summary>
public static class PlayVariables
{
    public static string Seal(IEnumerable<ContextVariable> variables, SecretBox secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var items = variables.Select(v => new StoredPlayVariable(v.Key, v.Value, v.File)).ToList();
        return secrets.Protect(JsonSerializer.Serialize(items));
    }

    public static IReadOnlyList<ContextVariable> Open(string sealedJson, SecretBox secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var items = JsonSerializer.Deserialize<List<StoredPlayVariable>>(secrets.Unprotect(sealedJson)) ?? [];
        return [.. items.Select(i => new ContextVariable(i.Key, i.Value, File: i.File))];
    }

    /// <summary>One variable as stored.</summary>
    private sealed record StoredPlayVariable(string Key, string Value, bool File);
}
