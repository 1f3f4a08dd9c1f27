using System.Net;
using System.Net.Sockets;

namespace Relais.EndToEnd;

/// <summary>
/// A plain TCP load balancer for tests: accepts on 127.0.0.1, connects each new connection to the next backend in
/// turn (skipping one that refuses), and pumps bytes both ways until either side closes. It knows nothing of HTTP.
/// </summary>
internal sealed class TcpBalancer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<int> _backends;
    private readonly CancellationTokenSource _stop = new();
    private int _next;

    public TcpBalancer(IReadOnlyList<int> backends)
    {
        _backends = backends;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var backend = await ConnectAsync();
            if (backend is null)
            {
                return;
            }

            using (backend)
            {
                var a = client.GetStream();
                var b = backend.GetStream();
                await Task.WhenAny(PumpAsync(a, b), PumpAsync(b, a));
            }
        }
    }

    private async Task<TcpClient?> ConnectAsync()
    {
        // One turn per connection, then every backend from there: taking a new turn per try would let concurrent
        // connections interleave so that one tries the same dead backend twice and gives up with a live one left.
        var turn = (uint)Interlocked.Increment(ref _next);
        for (var tried = 0; tried < _backends.Count; tried++)
        {
            var port = _backends[(int)((turn + (uint)tried) % _backends.Count)];
            var backend = new TcpClient();
            try
            {
                await backend.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
                return backend;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                backend.Dispose();
            }
        }

        return null;
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side went away: the connection ends.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
