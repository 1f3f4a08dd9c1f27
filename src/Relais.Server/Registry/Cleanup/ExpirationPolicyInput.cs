using System.Globalization;
using System.Text.Json;
using Relais.Server.Storage;

namespace Relais.Server.Registry.Cleanup;

/// <summary>
/// <c>container_expiration_policy_attributes</c> of <c>PUT /projects/:id</c>, as a nested JSON object or as form/query
/// fields <c>container_expiration_policy_attributes[cadence]=7d</c>: <c>cadence</c>, <c>enabled</c>, <c>keep_n</c>,
/// <c>older_than</c>, <c>name_regex</c>, <c>name_regex_keep</c> (an empty value clears the field). Applied over the
/// current policy; a value of the wrong type is GitLab's parameter error (<c>… is invalid</c>).
/// </summary>
public static class ExpirationPolicyInput
{
    public const string Field = "container_expiration_policy_attributes";

    /// <summary>The attributes given, by name; null when the call has none.</summary>
    public static IReadOnlyDictionary<string, string?>? Read(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (fields.TryGetValue(Field, out var nested) && nested.TrimStart().StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(nested);
                foreach (var p in json.RootElement.EnumerateObject())
                {
                    attributes[p.Name] = p.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        _ => p.Value.GetRawText(),
                    };
                }
            }
            catch (JsonException)
            {
                return attributes;
            }
        }

        foreach (var (key, value) in fields)
        {
            if (key.StartsWith(Field + "[", StringComparison.Ordinal))
            {
                attributes[key[(Field.Length + 1)..].TrimEnd(']')] = value;
            }
        }

        return attributes.Count > 0 || fields.ContainsKey(Field) ? attributes : null;
    }

    /// <summary><paramref name="current"/> with <paramref name="attributes"/> applied, or the parameter that is not of its type.</summary>
    public static (ContainerExpirationPolicyRecord? Policy, string? Invalid) Apply(ContainerExpirationPolicyRecord current, IReadOnlyDictionary<string, string?> attributes)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(attributes);
        var policy = current;
        foreach (var (name, raw) in attributes)
        {
            var value = string.IsNullOrEmpty(raw) ? null : raw;
            switch (name)
            {
                case "cadence":
                    policy = policy with { Cadence = value ?? "" };
                    break;
                case "enabled":
                    if (value?.ToUpperInvariant() is not ("TRUE" or "FALSE" or "1" or "0" or "YES" or "NO" or "T" or "F"))
                    {
                        return (null, $"{Field}[enabled] is invalid");
                    }

                    policy = policy with { Enabled = value.ToUpperInvariant() is "TRUE" or "1" or "YES" or "T" };
                    break;
                case "keep_n":
                    if (value is not null && !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                    {
                        return (null, $"{Field}[keep_n] is invalid");
                    }

                    policy = policy with { KeepN = value is null ? null : int.Parse(value, CultureInfo.InvariantCulture) };
                    break;
                case "older_than":
                    policy = policy with { OlderThan = value };
                    break;
                case "name_regex":
                    policy = policy with { NameRegex = value };
                    break;
                case "name_regex_keep":
                    policy = policy with { NameRegexKeep = value };
                    break;
                default:
                    break; // GitLab ignores attributes it does not declare
            }
        }

        return (policy, null);
    }
}
