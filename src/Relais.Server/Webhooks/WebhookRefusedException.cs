namespace Relais.Server.Webhooks;

/// <summary>A webhook's host resolved to an address it may not reach (see <see cref="WebhookAddresses"/>).</summary>
public sealed class WebhookRefusedException(string message) : Exception(message)
{
    public WebhookRefusedException()
        : this("Requests to the local network are not allowed")
    {
    }

    public WebhookRefusedException(string message, Exception inner)
        : this(message + ": " + inner.Message)
    {
    }
}
