namespace Relais.GitOps.Sources;

/// <summary>A git source could not be fetched or pushed to; the message names the repository and git's reason (no credentials in it).</summary>
public sealed class GitSourceException : Exception
{
    public GitSourceException(string message)
        : base(message)
    {
    }

    public GitSourceException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public GitSourceException()
    {
    }
}
