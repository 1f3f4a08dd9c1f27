namespace Relais.GitOps.Updates.Templates;

/// <summary>A commit message template that cannot be read or run (a syntax error, or a construct not supported).</summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string message)
        : base("messageTemplate: " + message)
    {
    }

    public TemplateException(string message, Exception inner)
        : base("messageTemplate: " + message, inner)
    {
    }

    public TemplateException()
    {
    }
}
