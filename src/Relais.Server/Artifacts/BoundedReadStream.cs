using Relais.Server.IO;

namespace Relais.Server.Artifacts;

/// <summary>A read-only view of a stream that ends after <c>length</c> bytes (the rest of the stream is never read).</summary>
internal sealed class BoundedReadStream(Stream inner, long length) : ReadOnlyViewStream
{
    private long Left => length - BytesRead;

    public override int Read(Span<byte> buffer)
    {
        if (Left <= 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, Left)]);
        BytesRead += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Left <= 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Left)], cancellationToken);
        BytesRead += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
