namespace Relais.Server.Reliability;

/// <summary>
/// A background loop of the coordinator: runs a pass at once and then every <c>interval</c> until the server stops. A
/// pass that fails (database or registry down) is logged as <c>relais serve: WHAT failed (…); retrying</c> and tried
/// again at the next tick; stopping ends the loop quietly.
/// </summary>
internal static class PeriodicPass
{
    public static async Task RunAsync(string what, Func<CancellationToken, Task> pass, TimeSpan interval, TimeProvider time, TextWriter log, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(log);
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await pass(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed pass must not end the loop; the next tick tries again
            catch (Exception e) when (!stop.IsCancellationRequested)
#pragma warning restore CA1031
            {
                await log.WriteLineAsync($"relais serve: {what} failed ({e.GetType().Name}: {Relais.Protocol.LogText.Safe(e.Message)}); retrying");
            }
#pragma warning disable CA1031 // the server is stopping: what failed with it does not matter
            catch (Exception)
#pragma warning restore CA1031
            {
                return;
            }

            try
            {
                await Task.Delay(interval, time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
