namespace Relais.Engine.Tests.Support;

/// <summary>A clock the test moves by hand; the engine never reads it, the harness stamps events with it.</summary>
public sealed class FakeClock
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Now { get; private set; } = Epoch;

    public DateTimeOffset Advance(TimeSpan by) => Now += by;
}
