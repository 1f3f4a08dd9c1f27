using System.Net;
using System.Net.Sockets;

namespace Relais.TestSupport;

/// <summary>Loopback ports nothing listens on (at the moment of asking: a caller that binds later retries on a clash).</summary>
public static class FreePorts
{
    /// <summary>A port the system just handed out and released.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
