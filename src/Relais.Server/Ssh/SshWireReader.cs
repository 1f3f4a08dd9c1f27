using System.Buffers.Binary;

namespace Relais.Server.Ssh;

/// <summary>
/// Reads the fields of an SSH public key blob (RFC 4251 §5): <c>string</c> and <c>mpint</c> are a 32-bit big-endian
/// length followed by that many bytes. Every read fails (false) rather than run past the end.
/// </summary>
internal ref struct SshWireReader(ReadOnlySpan<byte> blob)
{
    private ReadOnlySpan<byte> rest = blob;

    public readonly bool AtEnd => rest.IsEmpty;

    public bool TryReadString(out ReadOnlySpan<byte> value)
    {
        value = default;
        if (rest.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(rest);
        if (length > (uint)(rest.Length - 4))
        {
            return false;
        }

        value = rest.Slice(4, (int)length);
        rest = rest[(4 + (int)length)..];
        return true;
    }

    public bool TryReadText(out string value)
    {
        value = "";
        if (!TryReadString(out var bytes))
        {
            return false;
        }

        value = System.Text.Encoding.ASCII.GetString(bytes);
        return true;
    }
}
