namespace Relais.Server.Registry;

/// <summary>
/// One <c>scope</c> of a registry token request, as the Docker token protocol writes it:
/// <c>repository:group/app:pull,push</c>, <c>repository(plugin):name:pull</c> or <c>registry:catalog:*</c>.
/// The same shape is a grant in the token's <c>access</c> claim.
/// </summary>
public sealed record RegistryScope(string Type, string Name, IReadOnlyList<string> Actions)
{
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Delete = "delete";
    public const string Any = "*";

    /// <summary>Parses one scope; null when it is not <c>type:name:actions</c> (a name may hold a port's colon: the type is before the first colon, the actions after the last).</summary>
    public static RegistryScope? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var first = text.IndexOf(':', StringComparison.Ordinal);
        var last = text.LastIndexOf(':');
        if (first <= 0 || last <= first + 1)
        {
            return null;
        }

        var type = text[..first];
        var paren = type.IndexOf('(', StringComparison.Ordinal);
        type = paren < 0 ? type : type[..paren]; // repository(plugin) is a repository
        var actions = text[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new RegistryScope(type, text[(first + 1)..last], [.. actions.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>The same scope with only <paramref name="granted"/> of its actions, in the order asked.</summary>
    public RegistryScope WithOnly(IEnumerable<string> granted)
    {
        var set = granted.ToHashSet(StringComparer.Ordinal);
        return this with { Actions = [.. Actions.Where(set.Contains)] };
    }
}
