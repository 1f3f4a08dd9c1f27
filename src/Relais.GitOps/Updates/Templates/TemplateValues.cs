namespace Relais.GitOps.Updates.Templates;

/// <summary>A Go struct as a template sees it: named fields, printed as Go's <c>%v</c> prints it (or as <see cref="Printed"/>).</summary>
public sealed record TemplateStruct(string TypeName, IReadOnlyList<KeyValuePair<string, object?>> Fields, string? Printed = null)
{
    public bool TryGet(string name, out object? value)
    {
        foreach (var (key, v) in Fields)
        {
            if (key == name)
            {
                value = v;
                return true;
            }
        }

        value = null;
        return false;
    }
}

/// <summary>A Go map as a template sees it: entries already in the order <c>range</c> visits them (sorted keys).</summary>
public sealed record TemplateMap(IReadOnlyList<KeyValuePair<object, object?>> Entries)
{
    /// <summary>The value of a string key, or null (Go's zero value) when absent.</summary>
    public object? this[string key] => Entries.FirstOrDefault(e => e.Key is string s && s == key).Value;
}
