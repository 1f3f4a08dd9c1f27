using System.Text.Json.Serialization;

namespace Relais.Protocol.Jobs;

/// <summary>One CI/CD variable of the job payload.</summary>
public sealed record JobVariable
{
    /// <summary>Creates an empty variable (for the serializer).</summary>
    public JobVariable()
    {
    }

    /// <summary>Creates a variable.</summary>
    public JobVariable(string key, string value, bool isPublic = true, bool masked = false, bool file = false, bool raw = false)
    {
        Key = key;
        Value = value;
        Public = isPublic;
        Masked = masked;
        File = file;
        Raw = raw;
    }

    /// <summary>The variable name.</summary>
    public string Key { get; set; } = "";

    /// <summary>The value; for file variables, the file's content.</summary>
    public string Value { get; set; } = "";

    /// <summary>False for secrets (hidden in the UI).</summary>
    public bool Public { get; set; }

    /// <summary>The runner replaces the value with <c>[MASKED]</c> in the log.</summary>
    public bool Masked { get; set; }

    /// <summary>The value is written to a temporary file whose path becomes the variable's value.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool File { get; set; }

    /// <summary><c>$VAR</c> references in the value are not expanded.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Raw { get; set; }
}
