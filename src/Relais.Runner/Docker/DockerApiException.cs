using System.Net;

namespace Relais.Runner.Docker;

/// <summary>The Engine answered an error: its HTTP status and its <c>message</c>.</summary>
public sealed class DockerApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DockerApiException(HttpStatusCode status, string message)
        : base($"docker: {message} ({(int)status})")
    {
        Status = status;
        EngineMessage = message;
    }

    /// <summary>Creates the exception without a status.</summary>
    public DockerApiException()
        : this(HttpStatusCode.InternalServerError, "error")
    {
    }

    /// <summary>Creates the exception without a status.</summary>
    public DockerApiException(string message)
        : this(HttpStatusCode.InternalServerError, message)
    {
    }

    /// <summary>Creates the exception without a status.</summary>
    public DockerApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = HttpStatusCode.InternalServerError;
        EngineMessage = message;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The Engine's message.</summary>
    public string EngineMessage { get; }

    /// <summary>Whether the object does not exist (404).</summary>
    public bool NotFound => Status == HttpStatusCode.NotFound;
}
