using System.Text.Json;

namespace Relais.Server.Webhooks;

/// <summary>A hook's custom headers, kept as a JSON object of names to values.</summary>
public static class WebhookHeaders
{
    /// <summary>The headers of <paramref name="stored"/>; none when it is empty or not an object of strings.</summary>
    public static IReadOnlyDictionary<string, string> Custom(string? stored)
    {
        if (string.IsNullOrWhiteSpace(stored))
        {
            return new Dictionary<string, string>();
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(stored) ?? [];
        }
        catch (JsonException)
        {
            return new Dictionary<string, string>();
        }
    }

    /// <summary>Whether a custom header can be sent as given: a token name (RFC 9110), no control characters in its value.</summary>
    public static bool IsValid(string name, string value) =>
        name.Length is > 0 and <= 100 && value.Length <= 2048
        && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))
        && !value.Any(char.IsControl);

    /// <summary>Stores <paramref name="headers"/>; empty when there are none.</summary>
    public static string Store(IReadOnlyDictionary<string, string> headers) =>
        headers.Count == 0 ? "" : JsonSerializer.Serialize(headers);
}
