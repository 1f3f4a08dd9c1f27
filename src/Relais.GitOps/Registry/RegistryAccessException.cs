namespace Relais.GitOps.Registry;

/// <summary>A registry refused or failed a scan; the message says which image and why.</summary>
public sealed class RegistryAccessException : Exception
{
    /// <summary>Creates the error with <paramref name="message"/>.</summary>
    public RegistryAccessException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with <paramref name="message"/> and its cause.</summary>
    public RegistryAccessException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the error.</summary>
    public RegistryAccessException()
    {
    }
}
