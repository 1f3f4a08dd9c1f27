using Relais.Server.IO;

namespace Relais.Server.Security;

/// <summary>A read-only view of a stream that throws <see cref="BodyTooLargeException"/> once more than <c>limit</c> bytes were read.</summary>
public sealed class LimitedStream(Stream inner, long limit) : ReadOnlyViewStream
{
    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    private int Count(int n)
    {
        BytesRead += n;
        return BytesRead > limit ? throw new BodyTooLargeException(limit) : n;
    }
}
