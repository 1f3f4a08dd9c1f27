using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Relais.Server.Registry;

/// <summary>The Docker bridge's gateway: the host's address on <c>docker0</c>, the one containers (jobs, DinD services) reach the host by.</summary>
public static class DockerBridge
{
    /// <summary>The interface Docker's default bridge network makes.</summary>
    public const string InterfaceName = "docker0";

    /// <summary>The IPv4 address of <c>docker0</c> (172.17.0.1 on most hosts); null when there is no such interface.</summary>
    public static IPAddress? GatewayAddress()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.Name == InterfaceName)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
        }
        catch (NetworkInformationException)
        {
            return null;
        }
    }
}
