using System.Runtime.InteropServices;

namespace Relais.Cli.Commands;

/// <summary>
/// SIGTERM and Ctrl-C for a long-running command: the first signal asks it to stop (running work finishes), the second
/// aborts that work. Each prints its line so the person at the terminal knows which one happened.
/// </summary>
internal sealed class GracefulStop : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _interrupt;

    /// <param name="stdout">Where the lines go.</param>
    /// <param name="stopping">The line printed at the first signal.</param>
    /// <param name="aborting">The line printed at the second.</param>
    public GracefulStop(TextWriter stdout, string stopping, string aborting)
    {
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (_stop.IsCancellationRequested)
            {
                stdout.WriteLine(aborting);
                _abort.Cancel();
            }
            else
            {
                stdout.WriteLine(stopping);
                _stop.Cancel();
            }
        }

        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    /// <summary>Cancelled at the first signal: take no new work.</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Cancelled at the second signal: abort the running work.</summary>
    public CancellationToken Abort => _abort.Token;

    public void Dispose()
    {
        _term.Dispose();
        _interrupt.Dispose();
        _stop.Dispose();
        _abort.Dispose();
    }
}
