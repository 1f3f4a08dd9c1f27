using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Schema;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Tests.Schema;

/// <summary>Loads YAML text and validates it as a document, for the focused schema tests.</summary>
internal static class SchemaTestKit
{
    public static IReadOnlyList<Diagnostic> Validate(string yaml)
    {
        var bag = new DiagnosticBag();
        var file = YamlLoader.Load(".gitlab-ci.yml", yaml, bag) ?? throw new InvalidOperationException(string.Join("; ", bag.Items));
        if (file.Header is not null)
        {
            SchemaValidator.ValidateDocument(file.Header, bag);
        }

        SchemaValidator.ValidateDocument(file.Body, bag);
        return bag.Items;
    }

    public static IReadOnlyList<Diagnostic> Errors(string yaml) =>
        [.. Validate(yaml).Where(d => d.Severity == Severity.Error)];

    public static void Valid(string yaml)
    {
        var errors = Errors(yaml);
        Assert.True(errors.Count == 0, "expected no errors, got:\n  " + string.Join("\n  ", errors));
    }

    /// <summary>The configuration has exactly one error; returns it.</summary>
    public static Diagnostic OneError(string yaml)
    {
        var errors = Errors(yaml);
        Assert.True(errors.Count == 1, $"expected one error, got {errors.Count}:\n  " + string.Join("\n  ", errors));
        return errors[0];
    }

    /// <summary>The configuration has exactly one error, with this code and this message.</summary>
    public static Diagnostic OneError(string yaml, string code, string message)
    {
        var error = OneError(yaml);
        Assert.Equal(message, error.Message);
        Assert.Equal(code, error.Code);
        return error;
    }

    /// <summary>The configuration has at least one error with this code whose message contains the text.</summary>
    public static Diagnostic HasError(string yaml, string code, string text)
    {
        var errors = Errors(yaml);
        var match = errors.FirstOrDefault(e => e.Code == code && e.Message.Contains(text, StringComparison.Ordinal));
        Assert.True(match is not null, $"expected a {code} error containing \"{text}\", got:\n  " + string.Join("\n  ", errors));
        return match!;
    }
}
